package dev.taskwatch.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro. The writer schema comes from the registry by the id in the header (cached). With a
 * target class the record is resolved into that generated class (so older and newer writers both work under BACKWARD
 * compatibility). Without one it is a {@link org.apache.avro.generic.GenericRecord} in the writer's schema, unless
 * {@code specific.avro.reader=true} asks for the generated class named like the writer schema (Confluent's behaviour).
 *
 * <p>Every failure is a {@link SerializationException} naming the topic: bad magic byte, short record, an unknown
 * schema id ({@link UnknownSchemaIdException}), bytes that do not decode, or trailing bytes after the datum.
 */
public class AvroDeserializer<T extends IndexedRecord> implements Deserializer<T> {

    private final SerdeRegistry registry;
    private final Class<T> targetClass;
    private boolean specificByWriterName;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For generic records (or Kafka's reflective instantiation); {@link #configure} must follow. */
    public AvroDeserializer() {
        this((Class<T>) null);
    }

    /** Reads into the generated class {@code targetClass} (null: see the class comment); {@link #configure} must follow. */
    public AvroDeserializer(Class<T> targetClass) {
        this(targetClass, new SerdeRegistry("AvroDeserializer"));
    }

    private AvroDeserializer(Class<T> targetClass, SerdeRegistry registry) {
        this.targetClass = targetClass;
        this.registry = registry;
    }

    public AvroDeserializer(Class<T> targetClass, Map<String, ?> configs, boolean isKey) {
        this(targetClass);
        configure(configs, isKey);
    }

    /** With {@code registry} instead of the one the configuration selects (see {@link SerdeRegistry}). */
    public AvroDeserializer(SchemaRegistryClient registry, Class<T> targetClass, Map<String, ?> configs,
            boolean isKey) {
        this(targetClass, new SerdeRegistry("AvroDeserializer", registry));
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = registry.configure(configs);
        this.specificByWriterName = targetClass == null && config.specificReader();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        registry.client(); // fails before configure()
        int id = WireFormat.readSchemaId(data, topic);
        DatumReader<T> reader = readers.computeIfAbsent(id, i -> readerFor(i, topic));
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
                    data.length - WireFormat.HEADER_SIZE, null);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("Record from topic '" + topic + "' (schema id " + id + ") has "
                        + "trailing bytes after the Avro datum");
            }
            return record;
        } catch (SerializationException e) {
            throw e;
        } catch (Exception e) {
            throw new SerializationException("Cannot decode Avro record from topic '" + topic + "' with schema id "
                    + id + ": " + e, e);
        }
    }

    private DatumReader<T> readerFor(int id, String topic) {
        Schema writerSchema;
        try {
            writerSchema = registry.client().getById(id);
        } catch (SchemaNotFoundException e) {
            throw new UnknownSchemaIdException(id, topic, e);
        }
        Class<?> specificClass = targetClass;
        if (specificClass == null && specificByWriterName) {
            specificClass = SpecificData.get().getClass(writerSchema); // null when no generated class exists
            if (specificClass != null && !IndexedRecord.class.isAssignableFrom(specificClass)) {
                specificClass = null;
            }
        }
        if (specificClass != null) {
            SpecificData data = SpecificData.getForClass(specificClass);
            return new SpecificDatumReader<>(writerSchema, data.getSchema(specificClass), data);
        }
        return new GenericDatumReader<>(writerSchema, writerSchema, GenericData.get());
    }

    @Override
    public void close() {
        // the registry client is shared, see SerdeRegistry
    }
}
