package dev.taskwatch.transitions;

import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import java.time.Instant;

/** Test data: snapshots of tasks, built fluently. */
final class Snapshots {

    static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z");

    private Snapshots() {}

    static TaskKey key(String taskId) {
        return new TaskKey("dds", "eu-de", "p1", taskId);
    }

    /** A snapshot of task {@code taskId} observed {@code secondsAfterCreation} after creation. */
    static TaskSnapshot.Builder of(String taskId, TaskStatus status, Integer progress, long secondsAfterCreation) {
        Instant observed = CREATED.plusSeconds(secondsAfterCreation);
        boolean terminal = TaskStatuses.isTerminal(status);
        return TaskSnapshot.newBuilder()
                .setService("dds").setRegion("eu-de").setProjectId("p1").setTaskId(taskId)
                .setName("CreateInstance").setStatus(status).setRawStatus(status.name())
                .setProgressPercent(progress).setCreatedAt(CREATED)
                .setEndedAt(terminal ? observed.minusSeconds(1) : null)
                .setInstanceId("i-1").setInstanceName("db1")
                .setFailReason(status == TaskStatus.FAILED ? "disk full" : null)
                .setObservedAt(observed).setSource("https://dds.example/v3/p1/jobs");
    }

    static TaskSnapshot snap(String taskId, TaskStatus status, Integer progress, long secondsAfterCreation) {
        return of(taskId, status, progress, secondsAfterCreation).build();
    }
}
