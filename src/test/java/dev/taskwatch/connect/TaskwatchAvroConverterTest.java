package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.serde.AvroSerializer;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class TaskwatchAvroConverterTest {

    private static final String TOPIC = "taskwatch.task-events";
    private static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z");

    private final InProcessSchemaRegistry registry = new InProcessSchemaRegistry();
    private final Map<String, Object> config = Map.of("schema.registry.url", "http://unused.invalid");

    private TaskwatchAvroConverter converter() {
        TaskwatchAvroConverter converter = new TaskwatchAvroConverter(registry);
        converter.configure(config, false);
        return converter;
    }

    private static TaskEvent completed() {
        return TaskEvent.newBuilder().setEventId("e-1").setType(TaskEventType.COMPLETED).setService("dds")
                .setRegion("eu-de").setProjectId("p1").setTaskId("t-1").setName("CreateInstance")
                .setStatus(TaskStatus.COMPLETED).setPreviousStatus(TaskStatus.RUNNING).setProgressPercent(100)
                .setCreatedAt(CREATED).setEndedAt(CREATED.plusSeconds(90)).setDurationMs(90_000L)
                .setOccurredAt(CREATED.plusSeconds(90)).setDetectedAt(CREATED.plusSeconds(95)).build();
    }

    @Test
    void shouldReadTaskEventWithTimestampsAsTimestampsAndEnumsAsStrings() {
        byte[] framed = new AvroSerializer<TaskEvent>(registry, config, false).serialize(TOPIC, completed());

        SchemaAndValue read = converter().toConnectData(TOPIC, framed);

        Schema schema = read.schema();
        assertThat(schema.name()).isEqualTo("dev.taskwatch.avro.TaskEvent");
        assertThat(schema.field("occurred_at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(schema.field("occurred_at").schema().isOptional()).isFalse();
        assertThat(schema.field("ended_at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(schema.field("ended_at").schema().isOptional()).isTrue();
        assertThat(schema.field("type").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(schema.field("previous_status").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(schema.field("previous_status").schema().isOptional()).isTrue();
        assertThat(schema.field("duration_ms").schema().type()).isEqualTo(Schema.Type.INT64);
        Struct value = (Struct) read.value();
        value.validate();
        assertThat(value.getString("type")).isEqualTo("COMPLETED");
        assertThat(value.getString("previous_status")).isEqualTo("RUNNING");
        assertThat(value.get("ended_at")).isEqualTo(Date.from(CREATED.plusSeconds(90)));
        assertThat(value.get("instance_id")).isNull();
        assertThat(value.getBoolean("backfill")).isFalse();
    }

    @Test
    void shouldReadTombstoneAsNullRecord() {
        assertThat(converter().toConnectData(TOPIC, null)).isEqualTo(SchemaAndValue.NULL);
    }

    @Test
    void shouldReuseOneConnectSchemaPerWriterSchema() {
        TaskwatchAvroConverter converter = converter();
        byte[] framed = new AvroSerializer<TaskEvent>(registry, config, false).serialize(TOPIC, completed());

        assertThat(converter.toConnectData(TOPIC, framed).schema())
                .isSameAs(converter.toConnectData(TOPIC, framed).schema());
    }

    @Test
    void shouldWriteConnectStructThatReadsBackEqual() {
        TaskwatchAvroConverter converter = converter();
        byte[] framed = new AvroSerializer<TaskEvent>(registry, config, false).serialize(TOPIC, completed());
        SchemaAndValue original = converter.toConnectData(TOPIC, framed);

        byte[] written = converter.fromConnectData("lake-copy", original.schema(), original.value());
        SchemaAndValue again = converter.toConnectData("lake-copy", written);

        assertThat(again.value()).isEqualTo(original.value());
        assertThat(registry.latest("lake-copy-value")).isNotNull();
    }

    @Test
    void shouldWriteAStructWithManyNestedStructs() {
        // Each nested struct is converted while its parent's conversion is under way; with enough of them one
        // always shares a hash bin with its parent, which a recursive ConcurrentHashMap.computeIfAbsent refuses.
        org.apache.kafka.connect.data.SchemaBuilder outer = org.apache.kafka.connect.data.SchemaBuilder.struct()
                .name("dev.taskwatch.test.Outer");
        for (int i = 0; i < 200; i++) {
            outer.field("f" + i, org.apache.kafka.connect.data.SchemaBuilder.struct().name("dev.taskwatch.test.N" + i)
                    .field("n" + i, Schema.INT32_SCHEMA).build());
        }
        Schema schema = outer.build();
        Struct value = new Struct(schema);
        for (int i = 0; i < 200; i++) {
            Schema nested = schema.field("f" + i).schema();
            value.put("f" + i, new Struct(nested).put("n" + i, i));
        }
        TaskwatchAvroConverter converter = converter();

        byte[] written = converter.fromConnectData("wide", schema, value);

        assertThat(((Struct) converter.toConnectData("wide", written).value()).getStruct("f199").getInt32("n199"))
                .isEqualTo(199);
    }

    @Test
    void shouldRefuseBytesWithoutMagicByteNamingTheTopic() {
        assertThatThrownBy(() -> converter().toConnectData(TOPIC, new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(TOPIC);
    }

    @Test
    void shouldRefuseUnionOfTwoTypesNamingIt() {
        org.apache.avro.Schema schema = SchemaBuilder.record("Odd").fields()
                .name("either").type().unionOf().intType().and().stringType().endUnion().noDefault()
                .endRecord();
        GenericRecord record = new GenericData.Record(schema);
        record.put("either", 3);
        byte[] framed = new AvroSerializer<GenericRecord>(registry, config, false).serialize("odd", record);

        assertThatThrownBy(() -> converter().toConnectData("odd", framed))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("union");
    }

    @Test
    void shouldRefuseToWriteRecordWithoutSchema() {
        assertThatThrownBy(() -> converter().fromConnectData(TOPIC, null, List.of(1)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(TOPIC).hasMessageContaining("schema");
    }
}
