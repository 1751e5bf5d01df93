package dev.taskwatch.connect;

import dev.taskwatch.serde.AvroDeserializer;
import dev.taskwatch.serde.AvroSerializer;
import dev.taskwatch.serde.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Kafka Connect converter for Confluent wire-format Avro, built on taskwatch's own serde: it speaks the Confluent
 * Schema Registry REST API, which every Confluent-compatible registry serves (Confluent Schema Registry, Apicurio's
 * {@code /apis/ccompat/v7}, Karapace, Redpanda), so a sink reading taskwatch's topics needs nothing outside Maven
 * Central. Apicurio's own converter was not chosen: it talks Apicurio's native API only, so it cannot resolve ids
 * against any other registry.
 *
 * <p>Settings (after the worker strips {@code value.converter.} / {@code key.converter.}): {@code schema.registry.url}
 * (required), {@code basic.auth.user.info}, {@code bearer.auth.token}, {@code auto.register.schemas}, the same names as
 * Confluent's {@code AvroConverter}. Reading yields typed Connect data (see {@link AvroConnectData}): timestamps as
 * {@code Timestamp}, enums as strings. Writing derives an Avro schema from the Connect schema and registers it under
 * {@code <topic>-value} / {@code <topic>-key}.
 */
public class TaskwatchAvroConverter implements Converter, Versioned {

    private final AvroConnectData data = new AvroConnectData();
    private AvroDeserializer<GenericRecord> deserializer;
    private AvroSerializer<IndexedRecord> serializer;
    private final SchemaRegistryClient registry;

    /** For the worker's reflective instantiation: the registry comes from {@code schema.registry.url}. */
    public TaskwatchAvroConverter() {
        this(null);
    }

    /** Uses {@code registry} instead of the one the configuration names (tests). */
    TaskwatchAvroConverter(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /**
     * The jar's {@code Implementation-Version}: Connect shows a {@link Versioned} converter's version in {@code GET
     * /connector-plugins} (null for a converter without it) and matches {@code *.converter.plugin.version} against it.
     */
    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Never echo configs: basic.auth.user.info and bearer.auth.token are secrets.
        if (registry == null) {
            this.deserializer = new AvroDeserializer<>(null, configs, isKey);
            this.serializer = new AvroSerializer<>(configs, isKey);
        } else {
            this.deserializer = new AvroDeserializer<>(registry, null, configs, isKey);
            this.serializer = new AvroSerializer<>(registry, configs, isKey);
        }
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        requireConfigured();
        if (value == null) {
            return null;
        }
        if (schema == null) {
            throw new DataException("Topic '" + topic + "': cannot write Avro for a record without a Connect schema");
        }
        org.apache.avro.Schema avro = data.toAvroSchema(schema);
        Object datum = data.toAvroValue(schema, avro, value);
        if (!(datum instanceof IndexedRecord record)) {
            throw new DataException("Topic '" + topic + "': only Connect structs can be written as Avro records, got "
                    + schema.type());
        }
        try {
            return serializer.serialize(topic, record);
        } catch (SerializationException e) {
            throw new DataException("Topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        requireConfigured();
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        GenericRecord record;
        try {
            record = deserializer.deserialize(topic, value);
        } catch (SerializationException e) {
            throw new DataException(e.getMessage(), e);
        }
        Schema schema = data.toConnectSchema(record.getSchema());
        return new SchemaAndValue(schema, data.toConnectValue(record.getSchema(), schema, record));
    }

    @Override
    public ConfigDef config() {
        return dev.taskwatch.serde.AvroSerdeConfig.definition();
    }

    private void requireConfigured() {
        if (deserializer == null) {
            throw new IllegalStateException("TaskwatchAvroConverter used before configure()");
        }
    }
}
