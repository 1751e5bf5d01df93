package dev.taskwatch.partition;

import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * The producer side of {@link TaskPartitions}: set as {@code partitioner.class} on every producer that writes
 * {@code TaskKey}-keyed records (the poller's snapshots, watch requests), so that a task's partition does not depend on
 * the schema id inside the serialized key.
 *
 * <p>This side decides: the Streams application reads the snapshot topic partition by partition and keeps each task's
 * state in the store of the partition its snapshots arrive on. Streams cannot re-partition its input without a
 * repartition topic, so the input is co-partitioned with the state only if every producer of snapshots uses this
 * partitioner; the topology's sinks use {@link TaskKeyStreamPartitioner}, the same function, for the event topics.
 */
public final class TaskKeyPartitioner implements Partitioner {

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure: the function is fixed by the data contract
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
            Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        return TaskPartitions.partitionOf(key, partitions);
    }

    @Override
    public void close() {
        // nothing held
    }
}
