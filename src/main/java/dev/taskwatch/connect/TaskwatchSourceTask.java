package dev.taskwatch.connect;

import dev.taskwatch.assembly.PollerAssembly;
import dev.taskwatch.assembly.TaskSources;
import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.config.ConfigException;
import dev.taskwatch.config.ConfigProperties;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.Poller;
import dev.taskwatch.poller.PollerException;
import dev.taskwatch.poller.TargetPosition;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.serde.SchemaRegistryClient;
import dev.taskwatch.serde.SchemaRegistryClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task of {@link TaskwatchSourceConnector}: the poller engine ({@link Poller}) over this task's targets, feeding a
 * {@link RecordQueue} that {@link #poll()} drains. The engine runs on its own per-credential threads; this task has
 * none of its own.
 *
 * <p>At start the task reads its targets' stored positions from Connect's offsets (source partition
 * {@code {target: name}}), so only a target never seen before reads its 30-day history; and, when
 * {@code kafka.bootstrap-servers} is set, reads the watch-requests topic, keeping only its own targets' ids (the
 * {@link WatchSet} of its targets ignores the others), like Debezium's Kafka signal channel.
 *
 * <p>The engine's Micrometer meters (budget and requests per credential, staleness per target, ...) are mirrored into
 * the worker's plugin metrics ({@link PluginMetricsBridge}), so they appear in JMX and the worker's metrics reporters.
 *
 * <p>Exactly-once: with {@code exactly.once.source.support=enabled} on the workers, each {@code poll()} batch and its
 * source offsets are committed in one transaction (the worker's default per-poll boundary). That is enough because a
 * snapshot is a state, not a delta: a batch split across two transactions never yields a half-applied change, and
 * the transitions topology turns repeated snapshots of one state into no event. What exactly-once adds is that an
 * offset (position) is never committed without the snapshots before it, nor snapshots re-sent after a committed
 * position; a connector-defined boundary (per target cycle) would buy nothing more.
 */
public final class TaskwatchSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(TaskwatchSourceTask.class);
    private static final int QUEUE_CAPACITY = 10_000;
    private static final int MAX_BATCH = 2_000;

    private final SchemaRegistryClient registryOverride;
    private final Clock clock;
    private Poller poller;
    private RecordQueue queue;
    private PollerAssembly assembly;
    private PluginMetricsBridge pluginMetrics;

    public TaskwatchSourceTask() {
        this(null, Clock.systemUTC());
    }

    /** Tests: an in-process registry instead of the configured URL. */
    TaskwatchSourceTask(SchemaRegistryClient registry, Clock clock) {
        this.registryOverride = registry;
        this.clock = clock;
    }

    @Override
    public String version() {
        return new TaskwatchSourceConnector().version();
    }

    @Override
    public void start(Map<String, String> props) {
        TaskwatchConfig config;
        try {
            config = ConfigProperties.bind(props, ConnectProperties::isFramework);
        } catch (ConfigException e) {
            throw new ConnectException(e.getMessage());
        }
        if (config.schemaRegistry().url() == null && registryOverride == null) {
            throw new ConnectException("schema-registry.url: required by the connector");
        }
        Topics topics = config.topics().names();
        Map<String, Object> kafka = config.kafka().bootstrapServers() == null ? null
                : config.kafka().clientProperties(null);
        // first, so that a task that cannot learn it fails before it has built anything to close
        int partitions = snapshotPartitions(kafka, topics.snapshots(), config.topics().partitions());
        Map<String, Object> serde = new HashMap<>(config.schemaRegistry().serdeConfig("in-process"));
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, registryOverride != null ? registryOverride
                : SchemaRegistryClients.create(new AvroSerdeConfig(serde)));
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        pluginMetrics = mirrorToWorker(metrics);
        assembly = new PollerAssembly(config, metrics, clock);
        TaskSources sources = PollerAssembly.configuredTaskSources(config, assembly.http(), clock, metrics);
        Map<String, TargetPosition> stored = storedPositions(sources.targets());
        assembly.startWatchRequests(sources.targets(), kafka, serde, topics.watchRequests());
        queue = new RecordQueue(QUEUE_CAPACITY, topics.snapshots(), partitions, topics.pollerPositions(),
                topics.pollerDlq(),
                AvroSerdes.specific(TaskKey.class, serde, true).serializer(),
                AvroSerdes.specific(TaskSnapshot.class, serde, false).serializer(), stored);
        RecordQueue records = queue;
        assembly.positionLookup(name -> {
            TargetPosition position = storedPosition(name);
            if (position != null) {
                records.remember(name, position);
            }
            return position;
        });
        try {
            poller = assembly.poller(sources, queue, queue, stored);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted reading the watch requests");
        } catch (IllegalStateException e) {
            throw new ConnectException(e.getMessage(), e);
        }
        poller.start();
        assembly.startDiscovery(poller, sources);
        LOG.info("taskwatch task: {} targets, {} resume from a stored offset, snapshots to {} ({} partitions)",
                sources.targets().size(), stored.size(), topics.snapshots(), partitions);
    }

    /**
     * The task's meters as the worker's plugin metrics (JMX, metrics reporters), or null when the worker has none: a
     * worker before Kafka 4.1 has no {@code pluginMetrics()} (its context lacks the method, its clients jar the
     * class), and the connector runs there without metrics.
     */
    private PluginMetricsBridge mirrorToWorker(SimpleMeterRegistry metrics) {
        try {
            return PluginMetricsBridge.mirror(metrics, context.pluginMetrics());
        } catch (RuntimeException | LinkageError e) {
            LOG.info("The Kafka Connect worker offers no plugin metrics ({}); the poller's metrics are not exposed",
                    e.toString());
            return null;
        }
    }

    /** The stored position of one target (one a discovery of this task added after the start), or null. */
    private TargetPosition storedPosition(String target) {
        Map<String, Object> offset = context.offsetStorageReader().offset(RecordQueue.sourcePartition(target));
        if (offset == null || !offset.containsKey("position")) {
            return null;
        }
        try {
            return TargetPosition.fromSourceOffset(offset);
        } catch (IllegalArgumentException e) {
            LOG.warn("Target {}: ignoring the stored offset ({}); it reads its history", target, e.getMessage());
            return null;
        }
    }

    private Map<String, TargetPosition> storedPositions(List<PolledTarget> targets) {
        List<Map<String, String>> partitions = new ArrayList<>();
        targets.forEach(t -> partitions.add(RecordQueue.sourcePartition(t.target().name())));
        Map<Map<String, String>, Map<String, Object>> offsets =
                context.offsetStorageReader().offsets(partitions);
        Map<String, TargetPosition> stored = new HashMap<>();
        for (PolledTarget t : targets) {
            Map<String, Object> offset = offsets == null ? null
                    : offsets.get(RecordQueue.sourcePartition(t.target().name()));
            if (offset == null || !offset.containsKey("position")) {
                continue;
            }
            try {
                stored.put(t.target().name(), TargetPosition.fromSourceOffset(offset));
            } catch (IllegalArgumentException e) {
                // a full read is always safe; an unreadable position must not stop the target
                LOG.warn("Target {}: ignoring the stored offset ({}); it reads its history", t.target().name(),
                        e.getMessage());
            }
        }
        return stored;
    }

    /**
     * The snapshot topic's partition count, which {@code TaskPartitions} needs to place each task where the
     * standalone poller (and this task's previous runs) placed it; the configured {@code topics.partitions} without
     * {@code kafka.bootstrap-servers} or while the topic does not exist yet.
     *
     * <p>A topic that exists but cannot be described (Kafka unreachable for the admin client's whole
     * {@code default.api.timeout.ms}, missing security settings or ACLs) fails the start rather than falling back:
     * the worker's producer may well write to the topic, and a guessed count that is wrong would put a task's
     * snapshots on another partition than before, where the transitions topology has no state for it and emits its
     * events again. A failed task says why in its status; restarting it once Kafka answers is safe.
     */
    static int snapshotPartitions(Map<String, Object> kafka, String topic, int configured) {
        if (kafka == null) {
            return configured;
        }
        try (Admin admin = Admin.create(kafka)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted describing " + topic);
        } catch (Exception e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return configured;
            }
            throw new ConnectException("Cannot describe " + topic + " through kafka.bootstrap-servers ("
                    + (e.getCause() != null ? e.getCause() : e) + "); its partition count decides where each task's"
                    + " snapshots go, so the task does not guess it. Check the connector's kafka.bootstrap-servers"
                    + " and kafka.properties.* (security settings), then restart the task", e);
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        Optional<PollerException> failure = poller.failure();
        if (failure.isPresent()) {
            throw new ConnectException(failure.get().getMessage(), failure.get());
        }
        return queue.drain(500, MAX_BATCH);
    }

    @Override
    public void stop() {
        if (queue != null) {
            queue.stop();
        }
        if (assembly != null) {
            assembly.close(); // the poller (it closes the queue), the watch-request reader, the HTTP client
        }
        if (pluginMetrics != null) {
            pluginMetrics.close();
        }
    }
}
