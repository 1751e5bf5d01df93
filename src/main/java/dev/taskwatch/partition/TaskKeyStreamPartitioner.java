package dev.taskwatch.partition;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The Kafka Streams side of {@link TaskPartitions}, for the sinks of the transitions topology: an event goes to the
 * partition of its task's identity, the same one the poller's {@link TaskKeyPartitioner} picks for its snapshots, so a
 * consumer of one event partition sees every event of the tasks it holds, independent of the registry.
 */
public final class TaskKeyStreamPartitioner implements StreamPartitioner<Object, Object> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, Object key, Object value, int numPartitions) {
        return Optional.of(Set.of(TaskPartitions.partitionOf(key, numPartitions)));
    }
}
