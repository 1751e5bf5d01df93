package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.model.TaskKeys;
import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TaskReject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of a request of one target: publishes the snapshots that say something new
 * ({@link TargetMemory#changed}), records what was read in the memory once the sink acknowledged it, releases a watched
 * task that ended, and dead-letters the elements that could not be read. A sink that cannot take them fails the cycle
 * retriably: nothing of the answer is recorded, so the next cycle reads it again.
 */
final class SnapshotPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);

    private final Target target;
    private final TargetMemory memory;
    private final SnapshotSink sink;
    private final RejectedTasks rejected;
    private final WatchSet watchSet;
    private final WatchReleaser releaser;
    private final PollerMetrics metrics;
    private final Duration runningRefresh;
    /** Whether the target reads by id (only then can a task of it be watched). */
    private final boolean watchable;
    private volatile Instant lastPublish;

    SnapshotPublisher(Target target, TargetMemory memory, SnapshotSink sink, RejectedTasks rejected,
            WatchSet watchSet, WatchReleaser releaser, PollerMetrics metrics, Duration runningRefresh,
            boolean watchable) {
        this.target = target;
        this.memory = memory;
        this.sink = sink;
        this.rejected = rejected;
        this.watchSet = watchSet;
        this.releaser = releaser;
        this.metrics = metrics;
        this.runningRefresh = runningRefresh;
        this.watchable = watchable;
    }

    /** When a snapshot of the target was last published, or null. */
    Instant lastPublish() {
        return lastPublish;
    }

    /**
     * Publishes what changed among {@code read} (observed at {@code now}) and records all of it.
     *
     * @param carriesInstanceStatus whether the answer had an instance-status field (see
     *                              {@link TargetMemory#fingerprint})
     * @return how many snapshots were published
     */
    int publishChanged(List<TaskSnapshot> read, Instant now, boolean carriesInstanceStatus) throws CycleFailure {
        if (read.isEmpty()) {
            return 0;
        }
        long[] fingerprints = new long[read.size()];
        List<TaskSnapshot> changed = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
            fingerprints[i] = memory.fingerprint(read.get(i), carriesInstanceStatus);
            if (memory.changed(read.get(i), fingerprints[i], now, runningRefresh)) {
                changed.add(read.get(i));
            }
        }
        if (!changed.isEmpty()) {
            try {
                sink.publish(target, changed);
            } catch (SinkUnavailableException e) {
                throw new CycleFailure(null, "publish", true, null, "Could not publish snapshots of target "
                        + target.name() + ": " + e.getMessage(), e);
            }
            lastPublish = now;
            metrics.published(changed.size());
        }
        memory.record(read, fingerprints, changed, now, carriesInstanceStatus);
        if (watchable) {
            for (TaskSnapshot s : read) {
                TaskKey key = TaskKeys.of(s);
                if (TaskStatuses.isTerminal(s.getStatus()) && watchSet.contains(key)) {
                    release(key, "terminal");
                }
            }
        }
        return changed.size();
    }

    /** Takes a watched id out of the watch set, durably (a tombstone on the watch-request topic). */
    void release(TaskKey key, String why) throws CycleFailure {
        try {
            releaser.release(key);
        } catch (SinkUnavailableException e) {
            throw new CycleFailure(null, "publish", true, null, "Could not release watched task " + key.getTaskId()
                    + " of target " + target.name() + ": " + e.getMessage(), e);
        }
        watchSet.remove(key);
        LOG.info("Target {}: released watched task {} ({})", target.name(), key.getTaskId(), why);
    }

    /** Dead-letters the elements of an answer that could not be read (each once while unchanged). */
    void deadLetter(List<TaskReject> rejects, String source) throws CycleFailure {
        if (rejects.isEmpty()) {
            return;
        }
        try {
            rejected.handle(rejects, source);
        } catch (SinkUnavailableException e) {
            throw new CycleFailure(null, "publish", true, null, "Could not dead-letter unreadable tasks of target "
                    + target.name() + ": " + e.getMessage(), e);
        }
    }
}
