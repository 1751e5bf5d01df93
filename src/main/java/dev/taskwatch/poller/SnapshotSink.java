package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskSnapshot;
import java.util.List;

/** Where snapshots go: the snapshot topic in production, memory in tests. */
public interface SnapshotSink extends AutoCloseable {

    /**
     * Publishes {@code snapshots} and returns once all are acknowledged.
     *
     * @throws SinkUnavailableException for a transient problem (e.g. schema registry unreachable): nothing must be
     *                                  assumed published; the cycle is retried later
     * @throws FatalSinkException       when publishing can never succeed again (fenced, not authorised, delivery
     *                                  timeout exhausted): the poller stops
     */
    void publish(List<TaskSnapshot> snapshots) throws SinkUnavailableException;

    /** Flushes and closes. */
    @Override
    void close();
}
