package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaSnapshotSinkTest {

    private static TaskSnapshot snapshot(String id) {
        return TaskSnapshot.newBuilder().setService("dds").setRegion("eu-de").setProjectId("p").setTaskId(id)
                .setName("n").setStatus(TaskStatus.RUNNING).setRawStatus("Running").setDetails(Map.of())
                .setObservedAt(Instant.parse("2026-11-20T12:00:00Z")).setSource("s").build();
    }

    @Test
    void shouldForceIdempotenceAndAcksAll() {
        Map<String, Object> config = KafkaSnapshotSink.producerConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "x:9092"));
        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "x:9092");
    }

    @Test
    void shouldPublishKeyedByTaskKeyAndReturnWhenAcknowledged() throws Exception {
        MockProducer<TaskKey, TaskSnapshot> producer = new MockProducer<>(true, null, (t, k) -> new byte[0], (t, v) -> new byte[0]);
        try (KafkaSnapshotSink sink = new KafkaSnapshotSink(producer, "taskwatch.task-snapshots")) {
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
        KafkaSnapshotSink sink = new KafkaSnapshotSink(producer, "topic");
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
        KafkaSnapshotSink sink = new KafkaSnapshotSink(producer, "topic");
        assertThatThrownBy(() -> sink.publish(List.of(snapshot("a")))).isInstanceOf(FatalSinkException.class)
                .hasMessageContaining("fenced");
    }
}
