package dev.taskwatch.devkit.bench;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.poller.SnapshotSink;
import dev.taskwatch.taskcenter.TaskReject;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink that only counts what the poller publishes, so that a benchmark measures the poller's own cost and not
 * Kafka's. The simulator answers only well-formed tasks: a rejected one means the bench itself is broken.
 */
final class CountingSink implements SnapshotSink {

    private final AtomicLong published = new AtomicLong();

    long published() {
        return published.get();
    }

    @Override
    public void publish(List<TaskSnapshot> snapshots) {
        published.addAndGet(snapshots.size());
    }

    @Override
    public void deadLetter(String target, String source, TaskReject reject) {
        throw new IllegalStateException("The simulator's answers are well-formed; " + target
                + " rejected a task: " + reject.reason());
    }

    @Override
    public void close() { }
}
