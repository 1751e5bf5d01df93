package dev.taskwatch.transitions;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskState;
import dev.taskwatch.partition.TaskKeyStreamPartitioner;
import dev.taskwatch.serde.AvroDeserializer;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.serde.AvroSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the transitions topology (Processor API, named nodes):
 * <pre>
 *   snapshots-source (taskwatch.task-snapshots, raw bytes)
 *     └─ transitions (TransitionProcessor, store task-state: persistent RocksDB, changelogged)
 *          ├─ events-sink                 → taskwatch.task-events
 *          ├─ events-&lt;type&gt;-sink    → taskwatch.task-events.&lt;type&gt;
 *          │                                (started, progressed, completed, failed, canceled)
 *          └─ dlq-sink                    → taskwatch.task-snapshots.dlq (original bytes + why/where headers)
 * </pre>
 * Every event is written twice, to the all-events topic and its type's topic, with the same key, value and CloudEvents
 * headers, in the same transaction; it is serialized once when both subjects resolve to the same schema id
 * ({@link EncodeOnceSerializer}). Events go to the partition of their task's identity ({@link
 * TaskKeyStreamPartitioner}), the same function the poller partitions snapshots with; the snapshot topic's
 * partitioning is decided by its producers (Streams reads it partition by partition, and a task's state lives with the
 * partition its snapshots arrive on). Event records keep the timestamp of the snapshot record that caused them (not
 * {@code occurred_at}, which for backfilled history could be older than the topic's retention).
 */
public final class TransitionTopology {

    public static final String SOURCE = "snapshots-source";
    public static final String PROCESSOR = "transitions";
    public static final String STORE = "task-state";
    public static final String EVENTS_SINK = "events-sink";
    public static final String DLQ_SINK = "dlq-sink";

    private TransitionTopology() {}

    /** The sink node name for the events of one type, e.g. {@code events-completed-sink}. */
    public static String sinkOf(TaskEventType type) {
        return "events-" + type.name().toLowerCase(Locale.ROOT) + "-sink";
    }

    /**
     * Builds the topology.
     *
     * @param topics      topic names
     * @param settings    transitions settings (rules, retention)
     * @param serdeConfig Avro serde settings ({@code schema.registry.url} and friends) for snapshots and events
     * @param registry    where the {@code taskwatch.transitions.*} meters go; build one topology per registry (a second
     *                    build shares the counters, but the store-size gauge stays bound to the first)
     */
    public static Topology build(Topics topics, TransitionSettings settings, Map<String, ?> serdeConfig,
            MeterRegistry registry) {
        TransitionMetrics metrics = new TransitionMetrics(registry);
        Map<TaskEventType, String> typeSinks = new EnumMap<>(TaskEventType.class);
        Topics.PER_TYPE.forEach(type -> typeSinks.put(type, sinkOf(type)));

        StoreBuilder<KeyValueStore<TaskKey, TaskState>> store = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE), StoreSerdes.taskKey(), StoreSerdes.taskState());
        // Changelogging is on by default; said explicitly because exactly-once recovery depends on it.
        store = store.withLoggingEnabled(Map.of());

        StoreBuilder<KeyValueStore<TaskKey, TaskState>> storeBuilder = store;
        ProcessorSupplier<byte[], byte[], Object, Object> supplier = new ProcessorSupplier<>() {
            @Override
            public TransitionProcessor get() {
                return new TransitionProcessor(settings, topics.snapshots(),
                        new AvroDeserializer<>(TaskKey.class, serdeConfig, true),
                        new AvroDeserializer<>(TaskSnapshot.class, serdeConfig, false), metrics, typeSinks);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(storeBuilder);
            }
        };

        // One instance each for all six event sinks, so that the per-type copy reuses the all-events bytes. The
        // ce_dataschema header wraps the outside: a reused copy must get its header too.
        Serializer<TaskKey> keys = new EncodeOnceSerializer<>(
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer());
        Serializer<TaskEvent> events = new DataSchemaHeaderSerializer<>(new EncodeOnceSerializer<>(
                AvroSerdes.specific(TaskEvent.class, serdeConfig, false).serializer()),
                new AvroSerdeConfig(serdeConfig).urls().stream().findFirst().orElse(null));
        // By task identity, not by the framed key bytes (which carry the registry's schema id): see TaskPartitions.
        TaskKeyStreamPartitioner byTask = new TaskKeyStreamPartitioner();

        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.snapshots());
        topology.addProcessor(PROCESSOR, supplier, SOURCE);
        topology.addSink(EVENTS_SINK, topics.events(), keys, events, byTask, PROCESSOR);
        for (TaskEventType type : Topics.PER_TYPE) {
            topology.addSink(sinkOf(type), topics.eventsOf(type), keys, events, byTask, PROCESSOR);
        }
        topology.addSink(DLQ_SINK, topics.snapshotsDlq(), new ByteArraySerializer(), new ByteArraySerializer(),
                PROCESSOR);
        return topology;
    }
}
