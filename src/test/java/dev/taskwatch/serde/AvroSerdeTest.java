package dev.taskwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String TOPIC = "snapshots";
    private final InProcessSchemaRegistry registry = new InProcessSchemaRegistry();

    private Map<String, Object> config(Object... keyValues) {
        Map<String, Object> c = new HashMap<>();
        c.put(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, registry);
        for (int i = 0; i < keyValues.length; i += 2) {
            c.put((String) keyValues[i], keyValues[i + 1]);
        }
        return c;
    }

    private static TaskSnapshot snapshot() {
        return WireFormatGoldenTest.fixedSnapshot();
    }

    private AvroDeserializer<TaskSnapshot> specificDeserializer() {
        return new AvroDeserializer<>(TaskSnapshot.class, config(), false);
    }

    @Test
    void shouldRoundTripSpecificRecordsUnderTopicNameStrategySubjects() {
        Serde<TaskSnapshot> values = AvroSerdes.specific(TaskSnapshot.class, config(), false);
        Serde<TaskKey> keys = AvroSerdes.specific(TaskKey.class, config(), true);
        TaskKey key = new TaskKey("dds", "eu-de", "p1", "t-1");

        byte[] valueBytes = values.serializer().serialize(TOPIC, snapshot());
        byte[] keyBytes = keys.serializer().serialize(TOPIC, key);

        assertThat(values.deserializer().deserialize(TOPIC, valueBytes)).isEqualTo(snapshot());
        assertThat(keys.deserializer().deserialize(TOPIC, keyBytes)).isEqualTo(key);
        assertThat(registry.latest(TOPIC + "-value").schema())
                .isEqualTo(AvroSchemas.withoutJavaProperties(TaskSnapshot.getClassSchema()));
        assertThat(registry.latest(TOPIC + "-key").schema().toString()).doesNotContain("avro.java.string")
                .isEqualTo(AvroSchemas.withoutJavaProperties(TaskKey.getClassSchema()).toString());
        assertThat(idOf(valueBytes)).isEqualTo(registry.latest(TOPIC + "-value").id());
    }

    @Test
    void shouldRegisterTheGeneratedSchemaWithJavaPropertiesWhenAskedTo() {
        new AvroSerializer<TaskKey>(config("avro.remove.java.properties", false), true)
                .serialize(TOPIC, new TaskKey("dds", "eu-de", "p1", "t-1"));
        assertThat(registry.latest(TOPIC + "-key").schema()).isEqualTo(TaskKey.getClassSchema());
        assertThat(registry.latest(TOPIC + "-key").schema().toString()).contains("avro.java.string");
    }

    @Test
    void shouldMapNullToNullBothWays() {
        Serde<TaskSnapshot> serde = AvroSerdes.specific(TaskSnapshot.class, config(), false);
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldRejectAWrongMagicByteNamingTheTopic() {
        byte[] bytes = serialize(snapshot());
        bytes[0] = 1;
        assertThatThrownBy(() -> specificDeserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte 0").hasMessageContaining("0x01").hasMessageContaining(TOPIC);
    }

    @Test
    void shouldRejectARecordTooShortForTheHeader() {
        assertThatThrownBy(() -> specificDeserializer().deserialize(TOPIC, new byte[] {0, 0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes").hasMessageContaining("too short").hasMessageContaining(TOPIC);
    }

    @Test
    void shouldRejectAHeaderWithATruncatedBody() {
        byte[] bytes = serialize(snapshot());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 4);
        assertThatThrownBy(() -> specificDeserializer().deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot decode").hasMessageContaining(TOPIC);
    }

    @Test
    void shouldRejectTrailingBytesAfterTheDatum() {
        byte[] bytes = serialize(snapshot());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> specificDeserializer().deserialize(TOPIC, longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("trailing bytes").hasMessageContaining(TOPIC);
    }

    @Test
    void shouldNameTheIdAndTopicOfAnUnknownSchemaId() {
        byte[] bytes = serialize(snapshot());
        ByteBuffer.wrap(bytes).putInt(1, 4711);
        assertThatThrownBy(() -> specificDeserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(UnknownSchemaIdException.class)
                .hasMessageContaining("4711").hasMessageContaining("'" + TOPIC + "'")
                .satisfies(e -> assertThat(((UnknownSchemaIdException) e).schemaId()).isEqualTo(4711));
    }

    @Test
    void shouldRoundTripGenericRecordsInTheWriterSchema() {
        Schema schema = SchemaBuilder.record("Ping").namespace("test").fields()
                .requiredString("who").optionalInt("count").endRecord();
        GenericRecord record = new GenericRecordBuilder(schema).set("who", "me").set("count", 3).build();
        Serde<GenericRecord> serde = AvroSerdes.generic(config(), false);

        GenericRecord back = serde.deserializer().deserialize("pings",
                serde.serializer().serialize("pings", record));

        assertThat(back).isNotInstanceOf(org.apache.avro.specific.SpecificRecord.class);
        assertThat(back.getSchema()).isEqualTo(schema);
        assertThat(back).isEqualTo(record);
    }

    @Test
    void shouldReadIntoTheGeneratedClassByWriterNameOnlyWhenSpecificReaderIsSet() {
        byte[] bytes = serialize(snapshot());
        AvroDeserializer<GenericRecord> byDefault = new AvroDeserializer<>();
        byDefault.configure(config(), false);
        AvroDeserializer<GenericRecord> specific = new AvroDeserializer<>();
        specific.configure(config("specific.avro.reader", true), false);

        assertThat(byDefault.deserialize(TOPIC, bytes)).isInstanceOf(GenericData.Record.class);
        assertThat((Object) specific.deserialize(TOPIC, bytes)).isEqualTo(snapshot());
    }

    @Test
    void shouldResolveRecordsOfAnOlderWriterSchemaIntoTheCurrentClass() {
        // The "published v0" of TaskSnapshot: without instance_status and details, both added later with defaults.
        Schema current = TaskSnapshot.getClassSchema();
        List<Schema.Field> oldFields = current.getFields().stream()
                .filter(f -> !f.name().equals("instance_status") && !f.name().equals("details"))
                .map(f -> new Schema.Field(f, f.schema())).toList();
        Schema older = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                oldFields);
        GenericRecordBuilder b = new GenericRecordBuilder(older);
        for (Schema.Field f : older.getFields()) {
            Object v = snapshot().get(current.getField(f.name()).pos());
            b.set(f.name(), v instanceof java.time.Instant i ? i.toEpochMilli()
                    : v instanceof Enum<?> e ? new GenericData.EnumSymbol(f.schema(), e.name()) : v);
        }
        byte[] oldBytes = new AvroSerializer<GenericRecord>(config(), false).serialize("old-writer", b.build());

        TaskSnapshot read = specificDeserializer().deserialize("old-writer", oldBytes);

        assertThat(idOf(oldBytes)).isEqualTo(registry.latest("old-writer-value").id());
        assertThat(registry.getById(idOf(oldBytes))).isEqualTo(AvroSchemas.withoutJavaProperties(older));
        TaskSnapshot expected = TaskSnapshot.newBuilder(snapshot()).setInstanceStatus(null).setDetails(Map.of())
                .build();
        assertThat(read).isEqualTo(expected);
    }

    @Test
    void shouldRefuseAnUnregisteredSchemaWhenAutoRegisterIsOff() {
        AvroSerializer<TaskSnapshot> serializer = new AvroSerializer<>(config("auto.register.schemas", false), false);
        assertThatThrownBy(() -> serializer.serialize(TOPIC, snapshot()))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("'" + TOPIC + "-value'").hasMessageContaining("auto.register.schemas is false")
                .hasMessageContaining("dev.taskwatch.avro.TaskSnapshot");
        assertThat(registry.lookup(TOPIC + "-value", TaskSnapshot.getClassSchema())).isEmpty();
    }

    @Test
    void shouldUseTheRegisteredIdWhenAutoRegisterIsOff() {
        registry.register("other-value", TaskKey.getClassSchema()); // so the ids differ from 1
        int id = registry.register(TOPIC + "-value", TaskSnapshot.getClassSchema());
        AvroSerializer<TaskSnapshot> serializer = new AvroSerializer<>(config("auto.register.schemas", false), false);

        byte[] bytes = serializer.serialize(TOPIC, snapshot());

        assertThat(idOf(bytes)).isEqualTo(id).isEqualTo(2);
        assertThat(specificDeserializer().deserialize(TOPIC, bytes)).isEqualTo(snapshot());
    }

    @Test
    void shouldWriteWithTheLatestVersionsIdWhenUseLatestVersionIsSet() {
        registry.register("other-value", TaskKey.getClassSchema());
        int id = registry.register(TOPIC + "-value", TaskSnapshot.getClassSchema());
        CountingSchemaRegistry counting = new CountingSchemaRegistry(registry);
        AvroSerializer<TaskSnapshot> serializer = new AvroSerializer<>(counting,
                config("use.latest.version", true, "auto.register.schemas", false), false);

        assertThat(idOf(serializer.serialize(TOPIC, snapshot()))).isEqualTo(id);
        assertThat(counting.calls("latest")).isEqualTo(1);
        assertThat(counting.calls("register") + counting.calls("lookup")).isZero();
    }

    @Test
    void shouldRefuseUseLatestVersionWhenTheLatestSchemaDiffersFromTheRecords() {
        registry.register(TOPIC + "-value", TaskSnapshot.getClassSchema());
        Schema newer = SchemaBuilder.record("TaskSnapshot").namespace("dev.taskwatch.avro").fields()
                .optionalString("something_else").endRecord();
        registry.setCompatibility(TOPIC + "-value", "NONE");
        registry.register(TOPIC + "-value", newer);
        AvroSerializer<TaskSnapshot> serializer = new AvroSerializer<>(config("use.latest.version", true), false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, snapshot()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("use.latest.version").hasMessageContaining("latest version 2")
                .hasMessageContaining("'" + TOPIC + "-value'");
    }

    @Test
    void shouldMakeNoRegistryCallInSteadyState() {
        CountingSchemaRegistry writerSide = new CountingSchemaRegistry(registry);
        CountingSchemaRegistry readerSide = new CountingSchemaRegistry(registry);
        AvroSerializer<TaskSnapshot> serializer = new AvroSerializer<>(writerSide, config(), false);
        AvroDeserializer<TaskSnapshot> deserializer = new AvroDeserializer<>(readerSide, TaskSnapshot.class,
                config(), false);

        byte[] first = serializer.serialize(TOPIC, snapshot());
        deserializer.deserialize(TOPIC, first);
        assertThat(writerSide.calls("register")).isEqualTo(1);
        assertThat(readerSide.calls("getById")).isEqualTo(1);
        int writerCalls = writerSide.totalCalls();
        int readerCalls = readerSide.totalCalls();

        for (int i = 0; i < 100; i++) {
            TaskSnapshot s = TaskSnapshot.newBuilder(snapshot()).setTaskId("t-" + i).build();
            assertThat(deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, s))).isEqualTo(s);
        }

        assertThat(writerSide.totalCalls()).isEqualTo(writerCalls);
        assertThat(readerSide.totalCalls()).isEqualTo(readerCalls);
    }

    @Test
    void shouldCacheTheLookupWhenAutoRegisterIsOff() {
        registry.register(TOPIC + "-value", TaskSnapshot.getClassSchema());
        CountingSchemaRegistry counting = new CountingSchemaRegistry(registry);
        AvroSerializer<TaskSnapshot> serializer = new AvroSerializer<>(counting,
                config("auto.register.schemas", false), false);
        for (int i = 0; i < 10; i++) {
            serializer.serialize(TOPIC, snapshot());
        }
        assertThat(counting.calls("lookup")).isEqualTo(1);
        assertThat(counting.totalCalls()).isEqualTo(1);
    }

    @Test
    void shouldKeepInProcessRegistriesApart() {
        InProcessSchemaRegistry other = new InProcessSchemaRegistry();
        byte[] bytes = serialize(snapshot());
        AvroDeserializer<TaskSnapshot> otherReader = new AvroDeserializer<>(TaskSnapshot.class,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, other), false);

        assertThatThrownBy(() -> otherReader.deserialize(TOPIC, bytes)).isInstanceOf(UnknownSchemaIdException.class);
        assertThatThrownBy(() -> other.latest(TOPIC + "-value")).isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining(TOPIC + "-value");
        assertThat(specificDeserializer().deserialize(TOPIC, bytes)).isEqualTo(snapshot());
    }

    @Test
    void shouldWorkWhenKafkaInstantiatesAndConfiguresIt() {
        AvroSerializer<TaskSnapshot> serializer = new AvroSerializer<>();
        serializer.configure(config(), false);
        AvroDeserializer<TaskSnapshot> deserializer = new AvroDeserializer<>(TaskSnapshot.class);
        deserializer.configure(config(), false);
        assertThat(deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, snapshot()))).isEqualTo(snapshot());
    }

    @Test
    void shouldRefuseUseBeforeConfigure() {
        assertThatThrownBy(() -> new AvroSerializer<TaskSnapshot>().serialize(TOPIC, snapshot()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("configure");
    }

    private byte[] serialize(TaskSnapshot s) {
        return new AvroSerializer<TaskSnapshot>(config(), false).serialize(TOPIC, s);
    }

    private static int idOf(byte[] bytes) {
        assertThat(bytes[0]).isZero();
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }
}
