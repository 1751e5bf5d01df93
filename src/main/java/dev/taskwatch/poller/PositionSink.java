package dev.taskwatch.poller;

import dev.taskwatch.taskcenter.Target;

/**
 * Where the poller stores {@link TargetPosition}s. Called from a credential's lane after a cycle whose snapshots
 * were all handed to the {@link SnapshotSink}: standalone, {@link KafkaPositionStore} writes the compacted positions
 * topic once they are acknowledged; a Kafka Connect task attaches the position as the source offset of the target's
 * records. {@link #NONE} keeps nothing (every start reads the history).
 */
@FunctionalInterface
public interface PositionSink {

    PositionSink NONE = (target, position) -> { };

    /**
     * Stores {@code position} of {@code target}. A failure is logged by the poller and the position is offered again
     * after the next cycle; it never stops polling (a lost position costs only a longer read after a restart).
     */
    void store(Target target, TargetPosition position) throws SinkUnavailableException;
}
