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
 * Reads Confluent wire-format Avro. The writer schema comes from the registry by the id in the header (cached); with a
 * target class the record is resolved into that generated class (so older and newer writers both work under BACKWARD
 * compatibility), without one it is returned as a {@link org.apache.avro.generic.GenericRecord} in the writer's schema.
 *
 * <p>Every failure is a {@link SerializationException} naming the topic: bad magic byte, short record, an unknown
 * schema id ({@link UnknownSchemaIdException}), or bytes that do not decode.
 */
public class AvroDeserializer<T extends IndexedRecord> implements Deserializer<T> {

    private CachingSchemaRegistryClient registry;
    private final Class<T> targetClass;
    private Schema readerSchema;
    private SpecificData specificData;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For generic records (or Kafka's reflective instantiation); {@link #configure} must follow. */
    public AvroDeserializer() {
        this(null);
    }

    /** Reads into the generated class {@code targetClass}; {@link #configure} must follow. */
    public AvroDeserializer(Class<T> targetClass) {
        this.targetClass = targetClass;
    }

    public AvroDeserializer(Class<T> targetClass, Map<String, ?> configs, boolean isKey) {
        this(targetClass);
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        this.registry = SchemaRegistryClients.create(config);
        if (targetClass != null && config.specificReader()) {
            this.specificData = SpecificData.getForClass(targetClass);
            this.readerSchema = specificData.getSchema(targetClass);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
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
            writerSchema = registry.getById(id);
        } catch (SchemaNotFoundException e) {
            throw new UnknownSchemaIdException(id, topic, e);
        }
        if (readerSchema != null) {
            return new SpecificDatumReader<>(writerSchema, readerSchema, specificData);
        }
        return new GenericDatumReader<>(writerSchema, writerSchema, GenericData.get());
    }

    @Override
    public void close() {
        // The registry client is shared by every serde with the same configuration, so it is not closed here.
    }
}
