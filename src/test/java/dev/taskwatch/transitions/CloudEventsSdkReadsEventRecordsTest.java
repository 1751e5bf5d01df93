package dev.taskwatch.transitions;

import static dev.taskwatch.transitions.Snapshots.of;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.serde.AvroSerdeConfig;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A produced event record read with the CloudEvents Java SDK's Kafka message reader (binary mode): the context
 * attributes come out right, and datacontenttype/dataschema lead to the exact writer schema of the framed value.
 */
class CloudEventsSdkReadsEventRecordsTest {

    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    Path stateDir;

    private final InProcessSchemaRegistry registry = new InProcessSchemaRegistry();
    // a registry with a URL (the in-process one stands in for it, so no server is needed)
    private final Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
            "https://user:pw@registry.example:8081/apis/ccompat/v7", AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, registry);
    private TopologyTestDriver driver;

    @BeforeEach
    void start() {
        TransitionSettings settings = TransitionSettings.defaults().withStateDir(stateDir);
        Properties props = TransitionStreamsConfig.properties("unused:9092", settings, Map.of());
        driver = new TopologyTestDriver(TransitionTopology.build(TOPICS, settings, serdeConfig,
                new SimpleMeterRegistry()), props, Instant.parse("2026-11-22T12:00:00Z"));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldGiveTheSdkIdSourceTypeSubjectTimeAndTheFramedAvroSchemaOfACompletedEvent() {
        TaskSnapshot completed = of("t-7", TaskStatus.COMPLETED, 100, 60)
                .setEndedAt(Instant.parse("2026-11-22T10:00:59.125Z")).build();
        driver.createInputTopic(TOPICS.snapshots(), AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer(),
                AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false).serializer())
                .pipeInput(TransitionRules.keyOf(completed), completed);

        for (String topic : new String[] {TOPICS.events(), TOPICS.eventsOf(TaskEventType.COMPLETED)}) {
            TestRecord<byte[], byte[]> record = driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()).readRecord();
            CloudEvent ce = KafkaMessageFactory.createReader(record.headers(), record.value()).toEvent();
            TaskEvent event = AvroSerdes.specific(TaskEvent.class, serdeConfig, false).deserializer()
                    .deserialize(topic, record.value());

            assertThat(ce.getSpecVersion().toString()).isEqualTo("1.0");
            assertThat(ce.getId()).isEqualTo(event.getEventId());
            assertThat(ce.getSource()).isEqualTo(URI.create("/otc/eu-de/dds/p1"));
            assertThat(ce.getType()).isEqualTo("dev.taskwatch.task.completed");
            assertThat(ce.getSubject()).isEqualTo("t-7");
            assertThat(ce.getTime()).isEqualTo(OffsetDateTime.parse("2026-11-22T10:00:59.125Z"));
            assertThat(ce.getDataContentType()).isEqualTo("application/vnd.taskwatch.confluent-avro");
            assertThat(ce.getData().toBytes()).isEqualTo(record.value());

            // the frame: magic byte 0, then the id that dataschema names; the registry returns the writer schema
            byte[] data = ce.getData().toBytes();
            assertThat(data[0]).isZero();
            int id = ByteBuffer.wrap(data, 1, 4).getInt();
            assertThat(ce.getDataSchema()).isEqualTo(URI.create(
                    "https://registry.example:8081/apis/ccompat/v7/schemas/ids/" + id));
            assertThat(registry.getById(id).getFullName())
                    .isEqualTo(TaskEvent.getClassSchema().getFullName());
        }
    }

    @Test
    void shouldNameTheRegistryWithoutUserInfoInTheDataSchema() {
        assertThat(CloudEventHeaders.dataSchema("https://user:secret@registry.example:8081/apis/ccompat/v7/", 42))
                .isEqualTo("https://registry.example:8081/apis/ccompat/v7/schemas/ids/42");
        assertThat(CloudEventHeaders.dataSchema("http://user:secret@schema_registry:8081", 3))
                .isEqualTo("http://schema_registry:8081/schemas/ids/3");
    }
}
