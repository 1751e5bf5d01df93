package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.model.DeadLetterHeaders;
import dev.taskwatch.poller.SinkUnavailableException;
import dev.taskwatch.poller.TargetPosition;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TaskReject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RecordQueueTest {

    private static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");
    private static final Target TARGET = new Target("t1", Service.DDS, "eu-de", "p", URI.create("https://dds.example"),
            "cred", Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofDays(7));

    private static TaskSnapshot snapshot(String id) {
        return TaskSnapshot.newBuilder().setService("dds").setRegion("eu-de").setProjectId("p").setTaskId(id)
                .setName("n").setStatus(TaskStatus.RUNNING).setRawStatus("Running").setDetails(Map.of())
                .setObservedAt(T0).setSource("s").build();
    }

    private static RecordQueue queue(int capacity, Map<String, TargetPosition> stored) {
        return new RecordQueue(capacity, "x.task-snapshots", 6, "x.poller-positions", "x.poller.dlq",
                (topic, key) -> key.getTaskId().getBytes(StandardCharsets.UTF_8),
                (topic, value) -> value.getTaskId().getBytes(StandardCharsets.UTF_8), stored);
    }

    @Test
    void shouldNeverCarryAPositionAheadOfTheSnapshotsItCovers() throws Exception {
        RecordQueue queue = queue(100, Map.of());
        TargetPosition first = TargetPosition.of(TARGET, T0, Map.of("a", T0));
        TargetPosition second = TargetPosition.of(TARGET, T0.plusSeconds(30), Map.of());

        queue.publish(TARGET, List.of(snapshot("a")));
        queue.store(TARGET, first);
        queue.publish(TARGET, List.of(snapshot("a")));
        queue.store(TARGET, second);

        List<SourceRecord> records = queue.drain(0, 100);
        assertThat(records).extracting(SourceRecord::topic).containsExactly("x.task-snapshots",
                "x.poller-positions", "x.task-snapshots", "x.poller-positions");
        assertThat(records).allSatisfy(r -> assertThat(r.sourcePartition()).isEqualTo(Map.of("target", "t1")));
        assertThat(records.get(0).sourceOffset()).as("no position yet, and never a null (tombstone) offset")
                .isEqualTo(RecordQueue.NO_POSITION);
        assertThat(records.get(1).sourceOffset()).isEqualTo(first.toSourceOffset());
        assertThat(records.get(2).sourceOffset()).as("the position of the listing before").isEqualTo(
                first.toSourceOffset());
        assertThat(records.get(3).sourceOffset()).isEqualTo(second.toSourceOffset());
        assertThat(new String((byte[]) records.get(3).value(), StandardCharsets.UTF_8)).isEqualTo(second.toJson());
    }

    @Test
    void shouldStartFromTheStoredPosition() throws Exception {
        TargetPosition stored = TargetPosition.of(TARGET, T0, Map.of());
        RecordQueue queue = queue(100, Map.of("t1", stored));

        queue.publish(TARGET, List.of(snapshot("a")));

        assertThat(queue.drain(0, 100)).singleElement().satisfies(r -> assertThat(
                TargetPosition.fromSourceOffset(r.sourceOffset())).isEqualTo(stored));
    }

    @Test
    void shouldDeadLetterTheRawExcerptWithItsHeaders() throws Exception {
        RecordQueue queue = queue(100, Map.of());

        queue.deadLetter("t1", "https://dds.example/v3/p/jobs", new TaskReject("j-7", "jobs[0].status is 7",
                "{\"id\":\"j-7\",\"status\":7}"));

        SourceRecord r = queue.drain(0, 100).get(0);
        assertThat(r.topic()).isEqualTo("x.poller.dlq");
        assertThat(new String((byte[]) r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"j-7\",\"status\":7}");
        assertThat(new String((byte[]) r.headers().lastWithName(DeadLetterHeaders.REASON).value(),
                StandardCharsets.UTF_8)).isEqualTo("jobs[0].status is 7");
        assertThat(new String((byte[]) r.headers().lastWithName(DeadLetterHeaders.TARGET).value(),
                StandardCharsets.UTF_8)).isEqualTo("t1");
    }

    @Test
    void shouldLetABlockedLaneGiveUpOnceTheTaskStops() throws Exception {
        RecordQueue queue = queue(1, Map.of());
        queue.publish(TARGET, List.of(snapshot("a")));
        queue.stop();

        assertThatThrownBy(() -> queue.publish(TARGET, List.of(snapshot("b"))))
                .isInstanceOf(SinkUnavailableException.class).hasMessageContaining("t1");
    }
}
