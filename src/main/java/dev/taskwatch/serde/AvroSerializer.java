package dev.taskwatch.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated specific classes or {@link org.apache.avro.generic.GenericRecord}) in the Confluent
 * wire format, under the subject {@code <topic>-key} or {@code <topic>-value} (TopicNameStrategy).
 *
 * <p>The schema id is resolved once per (subject, schema) and cached, so steady-state serialization is encoding only.
 */
public class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {

    private final SerdeRegistry registry;
    private boolean isKey;
    private boolean autoRegister;
    private boolean useLatestVersion;
    private boolean removeJavaProperties;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    /** For Kafka's reflective instantiation; {@link #configure} must follow. */
    public AvroSerializer() {
        this.registry = new SerdeRegistry("AvroSerializer");
    }

    public AvroSerializer(Map<String, ?> configs, boolean isKey) {
        this();
        configure(configs, isKey);
    }

    /** With {@code registry} instead of the one the configuration selects (see {@link SerdeRegistry}). */
    public AvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this.registry = new SerdeRegistry("AvroSerializer", registry);
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = registry.configure(configs);
        this.isKey = isKey;
        this.autoRegister = config.autoRegister();
        this.useLatestVersion = config.useLatestVersion();
        this.removeJavaProperties = config.removeJavaProperties();
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        registry.client(); // fails before configure()
        Schema schema = record.getSchema();
        String subject = SubjectNames.topicNameStrategy(topic, isKey);
        int id = ids.computeIfAbsent(new SubjectSchema(subject, schema), k -> resolveId(subject,
                removeJavaProperties ? AvroSchemas.withoutJavaProperties(schema) : schema));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
            WireFormat.writeHeader(header, id);
            out.write(header.array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(schema, s -> writerFor(s, record)).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("Cannot serialize " + schema.getFullName() + " for topic '" + topic
                    + "': " + e.getMessage(), e);
        }
    }

    private int resolveId(String subject, Schema schema) {
        if (useLatestVersion) {
            RegisteredSchema latest = registry.client().latest(subject);
            // Same parsing canonical form = same binary encoding; docs, defaults and formatting may differ.
            if (!SchemaNormalization.toParsingForm(latest.schema()).equals(SchemaNormalization.toParsingForm(schema))) {
                throw new SerializationException("use.latest.version is set but the latest version " + latest.version()
                        + " (id " + latest.id() + ") of subject '" + subject + "' differs from the record's schema "
                        + schema.getFullName());
            }
            return latest.id();
        }
        if (autoRegister) {
            return registry.client().register(subject, schema);
        }
        return registry.client().idOf(subject, schema).orElseThrow(() -> new SchemaNotFoundException("Schema "
                + schema.getFullName() + " is not registered under subject '" + subject
                + "' and auto.register.schemas is false"));
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writerFor(Schema schema, IndexedRecord sample) {
        if (sample instanceof SpecificRecord) {
            return (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(schema,
                    SpecificData.getForClass(sample.getClass()));
        }
        return new GenericDatumWriter<>(schema, GenericData.get());
    }

    @Override
    public void close() {
        // the registry client is shared, see SerdeRegistry
    }
}
