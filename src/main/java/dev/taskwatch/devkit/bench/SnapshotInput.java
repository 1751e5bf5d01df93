package dev.taskwatch.devkit.bench;

import dev.taskwatch.model.TaskKeys;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Generates what polling produces: {@code tasks} tasks seen in {@code snapshots / tasks} successive poll cycles, each
 * snapshot with a new {@code observed_at} but, in most cycles, the same content as the one before (a duplicate for the
 * transitions rules). A task changes in a cycle with probability {@link #CHANGE_PROBABILITY}: progress + 10 %, and
 * from 90 % on, completion. Deterministic (fixed seed).
 */
final class SnapshotInput {

    static final double CHANGE_PROBABILITY = 0.02;
    private static final Instant BASE = Instant.parse("2026-11-20T08:00:00Z");

    private final int snapshots;
    private final int tasks;
    private long duplicates;
    private long changes;

    SnapshotInput(int snapshots, int tasks) {
        if (tasks <= 0 || snapshots < tasks) {
            throw new IllegalArgumentException("Need snapshots >= tasks > 0: " + snapshots + ", " + tasks);
        }
        this.snapshots = snapshots;
        this.tasks = tasks;
    }

    static TaskKey keyOf(TaskSnapshot s) {
        return TaskKeys.of(s);
    }

    /** Calls {@code out} for every snapshot, cycle by cycle. */
    void generate(Consumer<TaskSnapshot> out) {
        Random random = new Random(42);
        int[] progress = new int[tasks];
        boolean[] completed = new boolean[tasks];
        duplicates = 0;
        changes = 0;
        int emitted = 0;
        for (int cycle = 0; emitted < snapshots; cycle++) {
            Instant observed = BASE.plusSeconds(3600 + cycle * 5L);
            for (int i = 0; i < tasks && emitted < snapshots; i++, emitted++) {
                if (cycle > 0) {
                    if (!completed[i] && random.nextDouble() < CHANGE_PROBABILITY) {
                        changes++;
                        if (progress[i] >= 90) {
                            completed[i] = true;
                        } else {
                            progress[i] += 10;
                        }
                    } else {
                        duplicates++;
                    }
                }
                out.accept(snapshot(i, completed[i] ? TaskStatus.COMPLETED : TaskStatus.RUNNING,
                        completed[i] ? 100 : progress[i], observed));
            }
        }
    }

    static TaskSnapshot snapshot(int task, TaskStatus status, int progress, Instant observed) {
        Instant created = BASE.plusSeconds(task % 3600);
        return TaskSnapshot.newBuilder()
                .setService("dds").setRegion("eu-de").setProjectId("0549b4a43100d4f32f51c01c2fe4acdb")
                .setTaskId(String.format("bench-task-%07d", task)).setName("CreateInstance")
                .setStatus(status).setRawStatus(status == TaskStatus.COMPLETED ? "Completed" : "Running")
                .setProgressPercent(progress).setCreatedAt(created)
                .setEndedAt(status == TaskStatus.COMPLETED ? observed.minusSeconds(2) : null)
                .setInstanceId("c1b2e3f4a5d6471d8e9f0a1b2c3d4e5fin02").setInstanceName("dds-bench-" + (task % 97))
                .setDetails(Map.of())
                .setObservedAt(observed)
                .setSource("https://dds.eu-de.example.com/v3/0549b4a43100d4f32f51c01c2fe4acdb/jobs")
                .build();
    }

    int snapshots() {
        return snapshots;
    }

    int tasks() {
        return tasks;
    }

    /** Snapshots equal in content to the task's previous one (after {@link #generate}). */
    long duplicates() {
        return duplicates;
    }

    long changes() {
        return changes;
    }
}
