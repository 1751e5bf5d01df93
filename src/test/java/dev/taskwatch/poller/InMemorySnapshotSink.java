package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.taskcenter.TaskReject;
import java.util.ArrayList;
import java.util.List;

/** Collects published snapshots; can be told to fail. */
final class InMemorySnapshotSink implements SnapshotSink {

    final List<TaskSnapshot> published = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    volatile RuntimeException fatal;
    volatile int unavailableTimes;
    /** Dead letters that fail as unavailable (publishing still succeeds). */
    volatile int unavailableAfterPublish;
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

    @Override
    public synchronized void deadLetter(String target, String source, TaskReject reject)
            throws SinkUnavailableException {
        if (fatal != null) {
            throw fatal;
        }
        if (unavailableTimes > 0 || unavailableAfterPublish > 0) {
            if (unavailableTimes > 0) {
                unavailableTimes--;
            } else {
                unavailableAfterPublish--;
            }
            throw new SinkUnavailableException("test: broker down", null);
        }
        deadLetters.add(new DeadLetter(target, source, reject));
    }

    record DeadLetter(String target, String source, TaskReject reject) {}

    synchronized List<String> ids() {
        return published.stream().map(s -> s.getTaskId() + ":" + s.getStatus()).toList();
    }

    @Override
    public void close() {
        closed = true;
    }
}
