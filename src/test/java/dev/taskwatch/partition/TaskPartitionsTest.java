package dev.taskwatch.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.serde.AvroSerializer;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.serde.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class TaskPartitionsTest {

    private static final String TOPIC = "taskwatch.task-snapshots";
    private static final int PARTITIONS = 12;

    private final TaskKeyPartitioner poller = new TaskKeyPartitioner();
    private final TaskKeyStreamPartitioner topology = new TaskKeyStreamPartitioner();
    private final Cluster cluster = cluster(TOPIC, PARTITIONS);

    private static TaskKey key(String taskId) {
        return new TaskKey("geminidb", "eu-de", "p1", taskId);
    }

    private static List<TaskKey> keys() {
        List<TaskKey> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add(new TaskKey(i % 2 == 0 ? "dds" : "opengauss", "eu-de", "project-" + (i % 7), "task-" + i));
        }
        return keys;
    }

    /** Framed key bytes under a registry where the key schema got {@code idShift} other registrations first. */
    private static byte[] framed(TaskKey key, int idShift) {
        InProcessSchemaRegistry registry = new InProcessSchemaRegistry();
        for (int i = 0; i < idShift; i++) {
            registry.register("other-" + i, SchemaBuilder.record("Other" + i).fields().requiredString("a")
                    .endRecord());
        }
        try (AvroSerializer<TaskKey> serializer = new AvroSerializer<>(registry,
                Map.of("schema.registry.url", "http://unused.invalid"), true)) {
            return serializer.serialize(TOPIC, key);
        }
    }

    @Test
    void shouldKeepEveryTaskOnItsPartitionWhenTheKeySchemaIdChanges() {
        int movedByDefault = 0;
        for (TaskKey key : keys()) {
            byte[] before = framed(key, 0);
            byte[] after = framed(key, 5);
            assertThat(WireFormat.readSchemaId(after, TOPIC)).isNotEqualTo(WireFormat.readSchemaId(before, TOPIC));
            assertThat(poller.partition(TOPIC, key, after, null, null, cluster))
                    .isEqualTo(poller.partition(TOPIC, key, before, null, null, cluster));
            if (defaultPartition(before) != defaultPartition(after)) {
                movedByDefault++;
            }
        }
        assertThat(movedByDefault).as("keys Kafka's default partitioning would have moved (what this prevents)")
                .isGreaterThan(100);
    }

    @Test
    void shouldPartitionTheTopologysEventsLikeThePollersSnapshots() {
        for (TaskKey key : keys()) {
            int snapshotPartition = poller.partition(TOPIC, key, framed(key, 0), null, null, cluster);
            assertThat(topology.partitions("taskwatch.task-events", key, null, PARTITIONS))
                    .isEqualTo(Optional.of(Set.of(snapshotPartition)));
        }
    }

    @Test
    void shouldSpreadTasksOverAllPartitions() {
        Set<Integer> used = new java.util.HashSet<>();
        keys().forEach(k -> used.add(TaskPartitions.partition(k, PARTITIONS)));
        assertThat(used).hasSize(PARTITIONS);
    }

    @Test
    void shouldBeMurmur2OfTheNulJoinedIdentityFields() {
        // The function is part of the data contract (other producers of snapshots must use it): pinned here.
        byte[] text = "geminidb\u0000eu-de\u0000p1\u0000t-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(TaskPartitions.partition(key("t-1"), 1000))
                .isEqualTo(Utils.toPositive(Utils.murmur2(text)) % 1000);
    }

    @Test
    void shouldPartitionAGenericKeyRecordLikeTheGeneratedClass() {
        GenericRecord generic = new GenericData.Record(TaskKey.getClassSchema());
        generic.put("service", "geminidb");
        generic.put("region", "eu-de");
        generic.put("project_id", "p1");
        generic.put("task_id", "t-9");
        assertThat(TaskPartitions.partitionOf(generic, PARTITIONS))
                .isEqualTo(TaskPartitions.partition(key("t-9"), PARTITIONS));
    }

    @Test
    void shouldRejectAKeyThatIsNoTaskKeyNamingWhatItIs() {
        assertThatThrownBy(() -> poller.partition(TOPIC, null, null, null, null, cluster))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the key is null");
        assertThatThrownBy(() -> TaskPartitions.partitionOf("t-1", PARTITIONS))
                .hasMessageContaining("java.lang.String").hasMessageContaining("not a TaskKey");
        assertThatThrownBy(() -> TaskPartitions.partition(key("t"), 0)).hasMessageContaining("got 0");
    }

    private static int defaultPartition(byte[] keyBytes) {
        return Utils.toPositive(Utils.murmur2(keyBytes)) % PARTITIONS;
    }

    private static Cluster cluster(String topic, int partitions) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
        }
        return new Cluster("test", List.of(node), infos, Set.of(), Set.of());
    }
}
