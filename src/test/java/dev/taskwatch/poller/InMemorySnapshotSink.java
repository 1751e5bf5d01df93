package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskSnapshot;
import java.util.ArrayList;
import java.util.List;

/** Collects published snapshots; can be told to fail. */
final class InMemorySnapshotSink implements SnapshotSink {

    final List<TaskSnapshot> published = new ArrayList<>();
    volatile RuntimeException fatal;
    volatile int unavailableTimes;
    volatile boolean closed;

    @Override
    public synchronized void publish(List<TaskSnapshot> snapshots) throws SinkUnavailableException {
        if (fatal != null) {
            throw fatal;
        }
        if (unavailableTimes > 0) {
            unavailableTimes--;
            throw new SinkUnavailableException("test: registry down", null);
        }
        published.addAll(snapshots);
    }

    synchronized List<String> ids() {
        return published.stream().map(s -> s.getTaskId() + ":" + s.getStatus()).toList();
    }

    @Override
    public void close() {
        closed = true;
    }
}
