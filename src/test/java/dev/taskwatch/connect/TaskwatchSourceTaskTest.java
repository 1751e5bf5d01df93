package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.partition.TaskPartitions;
import dev.taskwatch.poller.TargetPosition;
import dev.taskwatch.serde.AvroDeserializer;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.SimulatedTaskCenter;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

/**
 * The source task against the simulator, with a fake Connect context whose offset store keeps the offset of every
 * record polled (as the worker does once records are acknowledged).
 */
class TaskwatchSourceTaskTest {

    private static final int HISTORY = 250;
    private static final String TARGET = "dds-eu-de";

    private final InProcessSchemaRegistry registry = new InProcessSchemaRegistry();
    private final Topics topics = new Topics("team-a.");
    private final FakeContext context = new FakeContext();

    @Test
    void shouldEmitFramedSnapshotsWithTargetOffsetsAndResumeWithoutReadingHistoryAgain() throws Exception {
        ShiftedClock clock = new ShiftedClock();
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly(), clock, d -> { })) {
            SimulatedTaskCenter tasks = simulator.tasks();
            // finished history within the default lookback (7d): pages that only a first read needs
            clock.shift = Duration.ofDays(-6);
            for (int i = 0; i < HISTORY; i++) {
                tasks.complete(tasks.createTask(Service.DDS, SimulatorSettings.DEFAULT_PROJECT, "Old" + i).id());
                clock.shift = clock.shift.plusMinutes(30);
            }
            clock.shift = Duration.ofHours(-1);
            SimTask running = tasks.createTask(Service.DDS, SimulatorSettings.DEFAULT_PROJECT, "Resize");
            clock.shift = Duration.ZERO;
            Map<String, String> props = props(simulator);

            long before = simulator.requestCount();
            List<SourceRecord> first = runUntilPositionStored(props);
            long firstStart = simulator.requestCount() - before;

            List<SourceRecord> snapshots = first.stream().filter(r -> r.topic().equals(topics.snapshots())).toList();
            assertThat(snapshots).hasSizeGreaterThanOrEqualTo(HISTORY + 1);
            Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, registry);
            Deserializer<TaskKey> keys = AvroSerdes.specific(TaskKey.class, serde, true).deserializer();
            Deserializer<TaskSnapshot> values = AvroSerdes.specific(TaskSnapshot.class, serde, false).deserializer();
            for (SourceRecord r : snapshots) {
                byte[] value = (byte[]) r.value();
                assertThat(value[0]).as("Confluent wire format magic byte").isZero();
                TaskKey key = keys.deserialize(r.topic(), (byte[]) r.key());
                TaskSnapshot snapshot = values.deserialize(r.topic(), value);
                assertThat(snapshot.getTaskId()).isEqualTo(key.getTaskId());
                assertThat(r.kafkaPartition()).isEqualTo(TaskPartitions.partition(key, 6));
                assertThat(r.sourcePartition()).isEqualTo(Map.of("target", TARGET));
                assertThat(r.sourceOffset()).isNotNull();
            }
            SourceRecord position = first.stream().filter(r -> r.topic().equals(topics.pollerPositions()))
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(new String((byte[]) position.key(), StandardCharsets.UTF_8)).isEqualTo(TARGET);
            TargetPosition stored = TargetPosition.fromSourceOffset(position.sourceOffset());
            assertThat(stored.running()).containsKey(running.id());

            // down: the running task completes
            tasks.complete(running.id());

            before = simulator.requestCount();
            List<SourceRecord> second = runUntilPositionStored(props);
            long resumed = simulator.requestCount() - before;

            System.out.printf("TaskwatchSourceTaskTest: first start %d requests (%d history tasks), restart from "
                    + "the stored offset %d%n", firstStart, HISTORY, resumed);
            assertThat(firstStart).isGreaterThanOrEqualTo(3);
            assertThat(resumed).as("a restart from the stored offset reads the new tasks and the task that ran in one "
                    + "listing reaching back to it, not the history").isEqualTo(1);
            List<TaskSnapshot> after = second.stream().filter(r -> r.topic().equals(topics.snapshots()))
                    .map(r -> values.deserialize(r.topic(), (byte[]) r.value())).toList();
            assertThat(after).extracting(s -> s.getTaskId() + ":" + s.getStatus())
                    .contains(running.id() + ":COMPLETED");
            assertThat(after).hasSizeLessThan(HISTORY);
        }
    }

    @Test
    void shouldExposeThePollersMetersAsTheWorkersPluginMetricsUntilTheTaskStops() throws Exception {
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly(), Clock.systemUTC(),
                d -> { });
                Metrics metrics = new Metrics();
                PluginMetricsImpl plugin = new PluginMetricsImpl(metrics, Map.of("connector", "taskwatch",
                        "task", "0"))) {
            simulator.tasks().createTask(Service.DDS, SimulatorSettings.DEFAULT_PROJECT, "Resize");
            context.pluginMetrics = () -> plugin;
            TaskwatchSourceTask task = new TaskwatchSourceTask(registry, Clock.systemUTC());
            task.initialize(context);
            task.start(props(simulator));
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    task.poll();
                    assertThat(sum(metrics, "taskwatch-poller-requests-total", "target", TARGET)).isPositive();
                    assertThat(sum(metrics, "taskwatch-poller-budget-requests-total", "credential", "sim"))
                            .isPositive();
                });
                assertThat(sum(metrics, "taskwatch-poller-budget-rate", "credential", "sim")).isEqualTo(100.0);
                assertThat(pluginMetrics(metrics)).extracting(MetricName::name)
                        .contains("taskwatch-poller-target-staleness", "taskwatch-poller-schedule-lateness-count");
            } finally {
                task.stop();
            }
            assertThat(pluginMetrics(metrics)).as("removed when the task stops").isEmpty();
        }
    }

    @Test
    void shouldPollWhenTheWorkerPredatesPluginMetrics() throws Exception {
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly(), Clock.systemUTC(),
                d -> { })) {
            simulator.tasks().createTask(Service.DDS, SimulatorSettings.DEFAULT_PROJECT, "Resize");
            // what a Kafka 3.x worker's task context does: it has no such method
            context.pluginMetrics = () -> {
                throw new NoSuchMethodError("SourceTaskContext.pluginMetrics()");
            };

            List<SourceRecord> polled = runUntilPositionStored(props(simulator));

            assertThat(polled).anyMatch(r -> r.topic().equals(topics.snapshots()));
        }
    }

    @Test
    void shouldFailTheStartInsteadOfGuessingThePartitionCountWhenTheSnapshotTopicCannotBeDescribed()
            throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly(), Clock.systemUTC(),
                d -> { })) {
            Map<String, String> props = props(simulator);
            props.put("kafka.bootstrap-servers", "localhost:" + closedPort);
            props.put("kafka.properties.default.api.timeout.ms", "1000");
            props.put("kafka.properties.request.timeout.ms", "500");
            // a guessed count (topics.partitions) that differs from the topic's would move tasks to other partitions
            props.put("topics.partitions", "3");
            TaskwatchSourceTask task = new TaskwatchSourceTask(registry, Clock.systemUTC());
            task.initialize(context);
            try {
                assertThatThrownBy(() -> task.start(props)).isInstanceOf(ConnectException.class)
                        .hasMessageContaining("Cannot describe " + topics.snapshots())
                        .hasMessageContaining("kafka.properties");
                assertThat(simulator.requestCount()).as("no target polled").isZero();
            } finally {
                task.stop();
            }
        }
    }

    /** The sum of the plugin metrics named {@code name} whose tag {@code tag} is {@code value}. */
    private static double sum(Metrics metrics, String name, String tag, String value) {
        return metrics.metrics().values().stream()
                .filter(m -> m.metricName().group().equals("plugins") && m.metricName().name().equals(name)
                        && value.equals(m.metricName().tags().get(tag)))
                .mapToDouble(m -> (Double) m.metricValue()).sum();
    }

    @Test
    void shouldPollTheProjectsItsDiscoveryFindsAndResumeThemFromTheirOffsetsAfterARestart() throws Exception {
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withProjects(List.of("p-one", "p-two")), Clock.systemUTC(), d -> { })) {
            SimTask one = simulator.tasks().createTask(Service.DDS, "p-one", "Resize");
            simulator.tasks().createTask(Service.DDS, "p-two", "Resize");
            Map<String, String> props = new HashMap<>();
            props.put("topics.prefix", topics.prefix());
            props.put("schema-registry.url", "http://unused:8081");
            props.put("credentials.sim.type", "token");
            props.put("credentials.sim.token", simulator.credentials("sim").token());
            props.put("credentials.sim.requests-per-second", "100");
            props.put("discovery.credentials", "sim");
            props.put("discovery.services", "dds");
            props.put("discovery.interval", "1s");
            props.put("discovery.iam-endpoint", simulator.iamEndpoint().toString());
            props.put("discovery.endpoint", simulator.iamEndpoint() + "/{service}");
            Map<String, String> task = TaskAssignment.split(props, 2).get(0);

            List<SourceRecord> first = runUntil(task, polled -> polled.stream()
                    .filter(r -> r.topic().equals(topics.pollerPositions())).map(SourceRecord::sourcePartition)
                    .distinct().count() == 2);
            assertThat(first).filteredOn(r -> r.topic().equals(topics.snapshots()))
                    .extracting(r -> String.valueOf(r.sourcePartition().get("target")))
                    .contains("dds/eu-de/eu-de", "dds/eu-de/eu-de_project1");

            simulator.tasks().complete(one.id());
            long before = simulator.requestCount();
            List<SourceRecord> second = runUntil(task, polled -> polled.stream() // the changed one stores again
                    .anyMatch(r -> r.topic().equals(topics.pollerPositions())
                            && r.sourcePartition().equals(Map.of("target", "dds/eu-de/eu-de"))));
            assertThat(second).filteredOn(r -> r.topic().equals(topics.snapshots()))
                    .as("the completed task of the first project, its record carrying the resumed position")
                    .anySatisfy(r -> {
                        assertThat(r.sourcePartition()).isEqualTo(Map.of("target", "dds/eu-de/eu-de"));
                        assertThat(r.sourceOffset()).containsKey("position");
                    });
            assertThat(simulator.requestCount() - before).as("after a restart: one IAM call, two probes and the "
                    + "resumed cycles, no history read (a first read of 7 days is several windows per target)")
                    .isLessThan(12);
        }
    }

    /** Starts a task, polls until {@code done} holds for what it polled, stops it. */
    private List<SourceRecord> runUntil(Map<String, String> props,
            java.util.function.Predicate<List<SourceRecord>> done) {
        TaskwatchSourceTask task = new TaskwatchSourceTask(registry, Clock.systemUTC());
        task.initialize(context);
        task.start(props);
        List<SourceRecord> polled = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                List<SourceRecord> batch = task.poll();
                if (batch != null) {
                    polled.addAll(batch);
                    batch.forEach(context::commit);
                }
                return done.test(polled);
            });
        } finally {
            task.stop();
        }
        return polled;
    }

    private static List<MetricName> pluginMetrics(Metrics metrics) {
        return metrics.metrics().keySet().stream().filter(n -> n.group().equals("plugins")).toList();
    }

    /** Starts a task, polls until its target's first position record, stops it; returns what it polled. */
    private List<SourceRecord> runUntilPositionStored(Map<String, String> props) {
        return runUntil(props, polled -> polled.stream().anyMatch(r -> r.topic().equals(topics.pollerPositions())));
    }

    private Map<String, String> props(Simulator simulator) {
        Map<String, String> props = new HashMap<>();
        props.put("topics.prefix", topics.prefix());
        props.put("schema-registry.url", "http://unused:8081");
        props.put("credentials.sim.type", "token");
        props.put("credentials.sim.token", simulator.credentials("sim").token());
        props.put("credentials.sim.requests-per-second", "100");
        props.put("targets[0].name", TARGET);
        props.put("targets[0].service", "dds");
        props.put("targets[0].region", "eu-de");
        props.put("targets[0].project-id", SimulatorSettings.DEFAULT_PROJECT);
        props.put("targets[0].endpoint", simulator.endpoint(Service.DDS).toString());
        props.put("targets[0].credentials", "sim");
        return props;
    }

    /** Connect's offset store in memory: the last offset of each source partition that a polled record carried. */
    private static final class FakeContext implements SourceTaskContext, OffsetStorageReader {
        private final Map<Map<String, ?>, Map<String, Object>> offsets = new ConcurrentHashMap<>();
        /** The worker's plugin metrics for the task; none unless a test gives them. */
        volatile Supplier<PluginMetrics> pluginMetrics = () -> {
            throw new UnsupportedOperationException("no plugin metrics in this test");
        };

        void commit(SourceRecord r) {
            offsets.put(r.sourcePartition(), new HashMap<>(r.sourceOffset()));
        }

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return this;
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return pluginMetrics.get();
        }

        @Override
        public <T> Map<String, Object> offset(Map<String, T> partition) {
            return offsets.get(partition);
        }

        @Override
        public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
            Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
            for (Map<String, T> p : partitions) {
                Map<String, Object> o = offsets.get(p);
                if (o != null) {
                    out.put(p, o);
                }
            }
            return out;
        }
    }
}
