package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.model.DeadLetterHeaders;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.taskcenter.TaskReject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.serde.AvroSerdeConfig;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaSnapshotSinkTest {

    private static TaskSnapshot snapshot(String id) {
        return TaskSnapshot.newBuilder().setService("dds").setRegion("eu-de").setProjectId("p").setTaskId(id)
                .setName("n").setStatus(TaskStatus.RUNNING).setRawStatus("Running").setDetails(Map.of())
                .setObservedAt(Instant.parse("2026-11-20T12:00:00Z")).setSource("s").build();
    }

    private static MockProducer<byte[], byte[]> dlq() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void shouldDeadLetterTheRawExcerptWithReasonTargetAndSourceHeaders() throws Exception {
        MockProducer<TaskKey, TaskSnapshot> producer = new MockProducer<>(true, null, (t, k) -> new byte[0],
                (t, v) -> new byte[0]);
        MockProducer<byte[], byte[]> dlq = dlq();
        String element = "{\"id\": \"j-7\", \"name\": \"Backup\", \"status\": 7}";
        try (KafkaSnapshotSink sink = new KafkaSnapshotSink(producer, "snapshots", dlq, "team.poller.dlq")) {
            sink.deadLetter("dds/eu-de/p", "https://dds.example/v3/p/jobs",
                    new TaskReject("j-7", "jobs[1].status is the number 7, expected a string", element));
        }

        assertThat(producer.history()).isEmpty();
        assertThat(dlq.history()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("team.poller.dlq");
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("j-7");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(element);
            assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("jobs[1].status is the number 7, expected a string");
            assertThat(header(r, DeadLetterHeaders.TARGET)).isEqualTo("dds/eu-de/p");
            assertThat(header(r, DeadLetterHeaders.SOURCE)).isEqualTo("https://dds.example/v3/p/jobs");
        });
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldBuildItsProducerIdempotentWithAcksAllWhateverTheClientPropertiesSay() {
        // The path of the runtime: the sink's own constructor makes its producer; only the final step (Kafka's
        // constructor) is replaced, so the configuration checked is the one a real producer would get.
        Map<String, Object> clientProperties = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "x:9092",
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                "security.protocol", "SSL");
        AtomicReference<Map<String, Object>> given = new AtomicReference<>();
        try (KafkaSnapshotSink sink = new KafkaSnapshotSink(clientProperties,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, new InProcessSchemaRegistry()),
                dev.taskwatch.model.Topics.defaults(), (config, keys, values) -> {
                    given.set(config);
                    return new MockProducer<>(true, null, keys, values);
                })) {
            assertThat(sink.producer()).isInstanceOf(MockProducer.class);
        }

        // As KafkaProducer reads it (ProducerConfig resolves types and defaults the same way).
        Map<String, Object> asKafkaGetsIt = new HashMap<>(given.get());
        asKafkaGetsIt.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        asKafkaGetsIt.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        ProducerConfig effective = new ProducerConfig(asKafkaGetsIt);
        assertThat(effective.getString(ProducerConfig.ACKS_CONFIG)).isIn("all", "-1");
        assertThat(effective.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(effective.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly("x:9092");
        assertThat(effective.getString("security.protocol")).isEqualTo("SSL");
        assertThat(effective.getString(ProducerConfig.CLIENT_ID_CONFIG)).isEqualTo("taskwatch-poller");
    }

    @Test
    void shouldGiveTheDeadLetterProducerAPartitionerThatReadsRawByteKeys() {
        // The task-identity partitioner throws on a byte[] key ("Cannot partition by task identity: the key is a
        // [B"), which made every dead letter a FatalSinkException. The dead-letter producer must use Kafka's default.
        Map<String, Object> config = KafkaSnapshotSink.deadLetterConfig(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "x:9092",
                ProducerConfig.PARTITIONER_CLASS_CONFIG, dev.taskwatch.partition.TaskKeyPartitioner.class.getName()));

        assertThat(config).doesNotContainKey(ProducerConfig.PARTITIONER_CLASS_CONFIG)
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-poller-dlq");
    }

    @Test
    void shouldPartitionByTaskIdentityEvenWhenThePropertiesNameAnotherPartitioner() {
        Map<String, Object> config = KafkaSnapshotSink.producerConfig(Map.of(
                ProducerConfig.PARTITIONER_CLASS_CONFIG, "org.example.RoundRobin"));
        assertThat(config).containsEntry(ProducerConfig.PARTITIONER_CLASS_CONFIG,
                dev.taskwatch.partition.TaskKeyPartitioner.class.getName());
    }

    @Test
    void shouldPublishKeyedByTaskKeyAndReturnWhenAcknowledged() throws Exception {
        MockProducer<TaskKey, TaskSnapshot> producer = new MockProducer<>(true, null, (t, k) -> new byte[0], (t, v) -> new byte[0]);
        try (KafkaSnapshotSink sink = new KafkaSnapshotSink(producer, "taskwatch.task-snapshots", dlq(),
                "taskwatch.poller.dlq")) {
            sink.publish(List.of(snapshot("a"), snapshot("b")));
        }
        assertThat(producer.history()).extracting(r -> r.key().getTaskId()).containsExactly("a", "b");
        assertThat(producer.history()).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo("taskwatch.task-snapshots");
            assertThat(r.key()).isEqualTo(new TaskKey("dds", "eu-de", "p", r.value().getTaskId()));
        });
    }

    @Test
    void shouldTurnAFailedSendIntoAFatalError() {
        MockProducer<TaskKey, TaskSnapshot> producer = new MockProducer<>(false, null, (t, k) -> new byte[0], (t, v) -> new byte[0]);
        KafkaSnapshotSink sink = new KafkaSnapshotSink(producer, "topic", dlq(), "dlq");
        var executor = Executors.newSingleThreadExecutor();
        try {
            var result = executor.submit(() -> {
                sink.publish(List.of(snapshot("a")));
                return null;
            });
            org.awaitility.Awaitility.await("record handed to the producer").atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> !producer.history().isEmpty() || result.isDone());
            assertThat(result.isDone()).as("publish waits for the acknowledgement").isFalse();
            producer.errorNext(new TopicAuthorizationException("not allowed"));
            assertThatThrownBy(result::get).hasCauseInstanceOf(FatalSinkException.class)
                    .hasMessageContaining("topic").hasMessageContaining("not allowed");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldTurnAFencedProducerIntoAFatalError() {
        MockProducer<TaskKey, TaskSnapshot> producer = new MockProducer<>(true, null, (t, k) -> new byte[0], (t, v) -> new byte[0]);
        producer.sendException = new ProducerFencedException("fenced");
        KafkaSnapshotSink sink = new KafkaSnapshotSink(producer, "topic", dlq(), "dlq");
        assertThatThrownBy(() -> sink.publish(List.of(snapshot("a")))).isInstanceOf(FatalSinkException.class)
                .hasMessageContaining("fenced");
    }

    @Test
    void aDeliveryTimeoutWhileTheBrokersAreDownIsRetriableAndReportedUntilAPublishSucceeds() throws Exception {
        MockProducer<TaskKey, TaskSnapshot> producer = new MockProducer<>(false, null, (t, k) -> new byte[0],
                (t, v) -> new byte[0]);
        KafkaSnapshotSink sink = new KafkaSnapshotSink(producer, "topic", dlq(), "dlq");
        var executor = Executors.newSingleThreadExecutor();
        try {
            var result = executor.submit(() -> {
                sink.publish(List.of(snapshot("a")));
                return null;
            });
            org.awaitility.Awaitility.await("record handed to the producer").atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> !producer.history().isEmpty());
            producer.errorNext(new org.apache.kafka.common.errors.TimeoutException(
                    "Expiring 1 record(s) for topic-0: 120000 ms has passed since batch creation"));
            assertThatThrownBy(result::get).hasCauseInstanceOf(SinkUnavailableException.class)
                    .hasMessageContaining("Kafka unavailable").hasMessageContaining("Expiring 1 record(s)");
            assertThat(sink.trouble()).hasValueSatisfying(t -> assertThat(t).contains("poller cannot publish")
                    .contains("Expiring"));
            assertThat(sink.kafkaUnreachable()).as("the poller pauses its lanes").isTrue();

            var next = executor.submit(() -> {
                sink.publish(List.of(snapshot("a")));
                return null;
            });
            org.awaitility.Awaitility.await("second record handed to the producer")
                    .atMost(java.time.Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);
            producer.completeNext();
            next.get();
            assertThat(sink.trouble()).as("cleared by the next publish that succeeds").isEmpty();
            assertThat(sink.kafkaUnreachable()).isFalse();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aSchemaRegistryThatRefusesIsRetriableNotFatal() {
        MockProducer<TaskKey, TaskSnapshot> producer = new MockProducer<>(true, null, (t, k) -> {
            throw new dev.taskwatch.serde.IncompatibleSchemaException(t + "-key", "field 'x' removed");
        }, (t, v) -> new byte[0]);
        KafkaSnapshotSink sink = new KafkaSnapshotSink(producer, "topic", dlq(), "dlq");

        assertThatThrownBy(() -> sink.publish(List.of(snapshot("a")))).isInstanceOf(SinkUnavailableException.class)
                .hasMessageContaining("Schema registry refuses").hasMessageContaining("field 'x' removed");
        assertThat(sink.trouble()).hasValueSatisfying(t -> assertThat(t).contains("topic-key"));
        assertThat(sink.kafkaUnreachable()).as("a registry fault backs off the target, pauses nothing").isFalse();
    }

    @Test
    void anUnreachableSchemaRegistryIsRetriable() {
        MockProducer<TaskKey, TaskSnapshot> producer = new MockProducer<>(true, null, (t, k) -> {
            throw new dev.taskwatch.serde.SchemaRegistryUnavailableException("schema registry unreachable", null);
        }, (t, v) -> new byte[0]);
        KafkaSnapshotSink sink = new KafkaSnapshotSink(producer, "topic", dlq(), "dlq");

        assertThatThrownBy(() -> sink.publish(List.of(snapshot("a")))).isInstanceOf(SinkUnavailableException.class)
                .hasMessageContaining("Schema registry unavailable");
        assertThat(sink.kafkaUnreachable()).as("a registry fault backs off the target, pauses nothing").isFalse();
    }
}
