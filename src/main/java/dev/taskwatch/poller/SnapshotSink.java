package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.taskcenter.TaskReject;
import dev.taskwatch.taskcenter.Target;
import java.util.List;

/** Where snapshots go: the snapshot topic in production, memory in tests; and the tasks that could not be read. */
public interface SnapshotSink extends AutoCloseable {

    /**
     * Publishes {@code snapshots} and returns once all are acknowledged.
     *
     * @throws SinkUnavailableException for a problem that waiting or an operator can cure (schema registry
     *                                  unreachable or refusing, brokers unreachable until the delivery timeout):
     *                                  nothing must be assumed published; the cycle is retried after the backoff
     * @throws FatalSinkException       when publishing can never succeed again (fenced, not authorised, a record
     *                                  too large): the poller stops
     */
    void publish(List<TaskSnapshot> snapshots) throws SinkUnavailableException;

    /**
     * Dead-letters a task element that could not be read ({@code <prefix>poller.dlq}): the value is the element's raw
     * excerpt, the reason, target and source go into headers. Returns once acknowledged.
     *
     * @param target the target's name
     * @param source endpoint and path of the response, without credentials
     * @throws SinkUnavailableException as for {@link #publish}
     */
    void deadLetter(String target, String source, TaskReject reject) throws SinkUnavailableException;

    /**
     * Publishes the snapshots of one target's page; the poller calls this one. The connector's sink overrides it to
     * tag records with their source partition (the target); by default the target is not needed.
     *
     * <p>When it returns, the snapshots must be either acknowledged (standalone) or queued ahead of every position
     * later handed to the {@link PositionSink} for the same target (connector: the position rides on later records as
     * their source offset, and Connect commits offsets only of acknowledged records): a position is never ahead of
     * the data.
     */
    default void publish(Target target, List<TaskSnapshot> snapshots) throws SinkUnavailableException {
        publish(snapshots);
    }

    /**
     * True after a publish failed because Kafka could not be reached (brokers down or without leaders until the
     * producer's delivery timeout), until a publish succeeds or {@link #reachableAgain()} says so: the poller then
     * pauses its lanes ({@link PublishPause}). A schema registry fault is not this; it backs off the target.
     */
    default boolean kafkaUnreachable() {
        return false;
    }

    /**
     * A cheap check that sends no snapshot: whether Kafka can take snapshots again. True also clears
     * {@link #kafkaUnreachable()}.
     */
    default boolean reachableAgain() {
        return true;
    }

    /** Flushes and closes. */
    @Override
    void close();
}
