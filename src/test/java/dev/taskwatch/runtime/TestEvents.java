package dev.taskwatch.runtime;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskStatus;
import java.time.Instant;

/** Fixed events for formatting and round-trip tests. */
public final class TestEvents {

    private TestEvents() {}

    /** A FAILED event with every field set. */
    public static TaskEvent failed() {
        return TaskEvent.newBuilder()
                .setEventId("0f8e4a8c-6d7b-3c1e-9a2f-5b4d3c2e1f00")
                .setType(TaskEventType.FAILED)
                .setService("dds")
                .setRegion("eu-de")
                .setProjectId("0123456789abcdef0123456789abcdef")
                .setTaskId("b3c1e2d4-5f60-4a7b-8c9d-0e1f2a3b4c5d")
                .setName("CreateInstance")
                .setStatus(TaskStatus.FAILED)
                .setPreviousStatus(TaskStatus.RUNNING)
                .setProgressPercent(40)
                .setPreviousProgressPercent(35)
                .setInstanceId("inst-42")
                .setInstanceName("orders-db")
                .setFailReason("Insufficient quota")
                .setCreatedAt(Instant.parse("2026-05-04T10:00:00Z"))
                .setEndedAt(Instant.parse("2026-05-04T10:04:32.250Z"))
                .setDurationMs(272_250L)
                .setOccurredAt(Instant.parse("2026-05-04T10:04:32.250Z"))
                .setDetectedAt(Instant.parse("2026-05-04T10:04:35.007Z"))
                .setBackfill(false)
                .build();
    }

    /** A first-seen RUNNING event with only the required fields. */
    public static TaskEvent started(String service, String taskId, Integer progress) {
        return TaskEvent.newBuilder()
                .setEventId("e-" + taskId)
                .setType(TaskEventType.STARTED)
                .setService(service)
                .setRegion("eu-de")
                .setProjectId("p1")
                .setTaskId(taskId)
                .setName("ResizeFlavor")
                .setStatus(TaskStatus.RUNNING)
                .setProgressPercent(progress)
                .setOccurredAt(Instant.parse("2026-05-04T09:00:00Z"))
                .setDetectedAt(Instant.parse("2026-05-04T09:00:05Z"))
                .build();
    }
}
