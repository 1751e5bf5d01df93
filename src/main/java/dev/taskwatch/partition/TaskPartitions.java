package dev.taskwatch.partition;

import dev.taskwatch.avro.TaskKey;
import java.nio.charset.StandardCharsets;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * The one partitioning function of the snapshot, event and watch-request topics: a task's partition is derived from
 * its identity fields (service, region, project id, task id) and nothing else.
 *
 * <p>Why not Kafka's default (murmur2 of the serialized key): keys are Confluent-framed Avro, whose bytes start with
 * the registry's schema id. A new key-schema version or a move to another registry would change those bytes and send
 * every task to another partition, splitting its state across two Streams tasks. Hashing the identity fields keeps a
 * task on its partition whatever the registry says.
 *
 * <p>The function: {@code toPositive(murmur2(utf8(service + NUL + region + NUL + project_id + NUL + task_id))) %
 * partitions}, the same murmur2 Kafka's default partitioner uses, over a text that any client in any language can
 * build (NUL cannot occur in the ids the APIs return, so no two different tasks share a text).
 */
public final class TaskPartitions {

    private TaskPartitions() {}

    public static int partition(String service, String region, String projectId, String taskId, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("The number of partitions must be positive, got " + partitions);
        }
        String identity = String.join("\u0000", service, region, projectId, taskId);
        return Utils.toPositive(Utils.murmur2(identity.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    public static int partition(TaskKey key, int partitions) {
        return partition(key.getService(), key.getRegion(), key.getProjectId(), key.getTaskId(), partitions);
    }

    /**
     * The partition of a key record: a {@link TaskKey}, or any Avro record with the four identity fields (a generic
     * record read with the key schema).
     *
     * @throws IllegalArgumentException naming what is missing when {@code key} is not a task key
     */
    public static int partitionOf(Object key, int partitions) {
        if (key instanceof TaskKey taskKey) {
            return partition(taskKey, partitions);
        }
        if (key instanceof GenericRecord record && record.hasField("service") && record.hasField("region")
                && record.hasField("project_id") && record.hasField("task_id")) {
            return partition(text(record, "service"), text(record, "region"), text(record, "project_id"),
                    text(record, "task_id"), partitions);
        }
        throw new IllegalArgumentException("Cannot partition by task identity: the key is "
                + (key == null ? "null" : "a " + key.getClass().getName())
                + ", not a TaskKey (service, region, project_id, task_id)");
    }

    private static String text(GenericRecord record, String field) {
        Object value = record.get(field);
        if (value == null) {
            throw new IllegalArgumentException("Cannot partition by task identity: the key has no " + field);
        }
        return value.toString();
    }
}
