package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.SimulatedTaskCenter;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.ApicurioRegistry;
import dev.taskwatch.transitions.TransitionSettings;
import dev.taskwatch.transitions.TransitionStreamsConfig;
import dev.taskwatch.transitions.TransitionTopology;
import dev.taskwatch.transitions.TransitionsApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source connector on two in-process Connect workers (exactly-once source enabled), two credentials, three targets
 * on the simulator: every task reaches the snapshot topic in the Confluent wire format, and after a worker is removed
 * and another added (tasks restart elsewhere from their source offsets) no target re-reads its history, while the
 * tasks that ended meanwhile still get their terminal snapshot. The transitions topology consumes the output: no
 * event of a task is emitted twice, and each task that ended during the bounce has exactly one COMPLETED event. Each
 * task's request counter is visible in JMX as the worker's plugin metric.
 */
class TaskwatchSourceConnectorIT {

    private static final Topics TOPICS = new Topics("it.");
    private static final int HISTORY = 30;
    private static final List<Service> SERVICES = List.of(Service.DDS, Service.GEMINIDB, Service.OPENGAUSS);

    @TempDir
    Path dir;

    @Test
    void shouldPublishEveryTaskAndResumeAfterAWorkerBounceWithoutReadingHistoryAgain() throws Exception {
        ShiftedClock clock = new ShiftedClock();
        try (ApicurioRegistry registry = ApicurioRegistry.start();
                Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly(), clock, d -> { })) {
            SimulatedTaskCenter tasks = simulator.tasks();
            List<SimTask> running = new ArrayList<>();
            for (Service service : SERVICES) {
                clock.shift = Duration.ofDays(-6); // within the default 7-day lookback: what a first start reads
                for (int i = 0; i < HISTORY; i++) {
                    tasks.complete(tasks.createTask(service, SimulatorSettings.DEFAULT_PROJECT, "Old" + i).id());
                    clock.shift = clock.shift.plusMinutes(10);
                }
                clock.shift = Duration.ofHours(-1);
                running.add(tasks.createTask(service, SimulatorSettings.DEFAULT_PROJECT, "Resize"));
            }
            clock.shift = Duration.ZERO;

            EmbeddedConnectCluster connect = ConnectTestCluster.start("taskwatch-source", 2,
                    Map.of("exactly.once.source.support", "enabled"));
            try {
                ConnectTestCluster.createTopics(connect, TOPICS, 1);
                connect.configureConnector("taskwatch", connectorConfig(simulator, registry,
                        connect.kafka().bootstrapServers()));
                connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("taskwatch", 2,
                        "both tasks to start");
                Map<String, Object> serde = Map.of("schema.registry.url", registry.ccompatUrl());

                List<TaskSnapshot> before = await("every task, and every target's position").atMost(
                        Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(
                        () -> snapshots(connect, serde), s -> s.stream().filter(x -> x.getName().equals("Resize"))
                                .count() >= SERVICES.size()
                                && s.stream().filter(x -> x.getName().startsWith("Old")).map(TaskSnapshot::getTaskId)
                                .distinct().count() == HISTORY * SERVICES.size()
                                && positions(connect) >= SERVICES.size());
                Map<String, Double> requests = requestsInJmx();
                System.out.printf("TaskwatchSourceConnectorIT: task-center requests per task in JMX: %s%n", requests);
                assertThat(requests).as("each task's request counter, as its worker exposes it in JMX")
                        .containsOnlyKeys("0", "1").allSatisfy((task, count) -> assertThat(count).isPositive());
                Thread.sleep(3_000); // the offsets of the positions reach the offsets topic (flush every second)
                long oldBefore = snapshots(connect, serde).stream().filter(x -> x.getName().startsWith("Old")).count();

                connect.removeWorker();
                for (SimTask task : running) {
                    tasks.complete(task.id());
                }
                connect.addWorker();
                connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("taskwatch", 2,
                        "both tasks to run again");

                List<TaskSnapshot> after = await("the terminal snapshot of every task that ended meanwhile")
                        .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(
                                () -> snapshots(connect, serde), s -> running.stream().allMatch(t -> s.stream()
                                        .anyMatch(x -> x.getTaskId().equals(t.id())
                                                && x.getStatus() == TaskStatus.COMPLETED)));
                long oldAfter = after.stream().filter(x -> x.getName().startsWith("Old")).count();
                System.out.printf("TaskwatchSourceConnectorIT: %d snapshots before the worker bounce (%d of history"
                        + " tasks), %d after; history snapshots after the bounce: %d%n", before.size(), oldBefore,
                        after.size(), oldAfter - oldBefore);
                assertThat(oldAfter).as("no target re-read its history after the bounce").isEqualTo(oldBefore);
                assertEventsExactlyOnce(connect, serde, running);
            } finally {
                connect.stop();
            }
        }
    }

    /**
     * Each task's {@code taskwatch.poller.requests} (all targets and outcomes) as the plugin metric
     * {@code taskwatch-poller-requests-total} of the MBeans {@code kafka.connect:type=plugins,connector=taskwatch,
     * task=<n>,outcome=...,target=...}; the embedded workers register them in this JVM's MBean server.
     */
    private static Map<String, Double> requestsInJmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, Double> perTask = new TreeMap<>();
        for (ObjectName name : server.queryNames(new ObjectName("kafka.connect:type=plugins,connector=taskwatch,*"),
                null)) {
            if (name.getKeyProperty("task") != null && name.getKeyProperty("outcome") != null) {
                double count = ((Number) server.getAttribute(name, "taskwatch-poller-requests-total")).doubleValue();
                perTask.merge(name.getKeyProperty("task"), count, Double::sum);
            }
        }
        return perTask;
    }

    /** The transitions topology over the connector's output: each event once, each ended task one COMPLETED. */
    private void assertEventsExactlyOnce(EmbeddedConnectCluster connect, Map<String, Object> serde,
            List<SimTask> ended) throws Exception {
        String bootstrap = connect.kafka().bootstrapServers();
        TransitionSettings settings = TransitionSettings.defaults().withStateDir(dir.resolve("state"))
                .withCommitInterval(Duration.ofMillis(200));
        try (TransitionsApp transitions = new TransitionsApp(TransitionStreamsConfig.properties(bootstrap, settings,
                Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1)),
                TransitionTopology.build(TOPICS, settings, serde, new SimpleMeterRegistry()))) {
            transitions.start();
            Deserializer<TaskEvent> values = AvroSerdes.specific(TaskEvent.class, serde, false).deserializer();
            List<TaskEvent> events = await("a COMPLETED event of every task that ended during the bounce")
                    .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> readAll(connect,
                            TOPICS.events()).stream().map(r -> values.deserialize(r.topic(), r.value())).toList(),
                            e -> ended.stream().allMatch(t -> e.stream().anyMatch(x -> x.getTaskId().equals(t.id())
                                    && x.getType() == TaskEventType.COMPLETED)));
            assertThat(events).extracting(e -> e.getTaskId() + ":" + e.getType()).doesNotHaveDuplicates();
            for (SimTask task : ended) {
                assertThat(events).filteredOn(e -> e.getTaskId().equals(task.id())
                        && e.getType() == TaskEventType.COMPLETED).hasSize(1);
            }
            System.out.printf("TaskwatchSourceConnectorIT: %d events from the connector's snapshots, none twice%n",
                    events.size());
        }
    }

    private static Map<String, String> connectorConfig(Simulator simulator, ApicurioRegistry registry,
            String bootstrap) {
        Map<String, String> config = ConnectTestCluster.connectorConfig(TOPICS, registry.ccompatUrl(), bootstrap, 2);
        for (String credential : List.of("a", "b")) {
            config.put("credentials." + credential + ".type", "token");
            config.put("credentials." + credential + ".token", simulator.credentials(credential).token());
            config.put("credentials." + credential + ".requests-per-second", "20");
        }
        for (int i = 0; i < SERVICES.size(); i++) {
            Service service = SERVICES.get(i);
            config.put("targets[" + i + "].name", service.id());
            config.put("targets[" + i + "].service", service.id());
            config.put("targets[" + i + "].region", "eu-de");
            config.put("targets[" + i + "].project-id", SimulatorSettings.DEFAULT_PROJECT);
            config.put("targets[" + i + "].endpoint", simulator.endpoint(service).toString());
            config.put("targets[" + i + "].credentials", i < 2 ? "a" : "b");
            config.put("targets[" + i + "].interval", "2s");
            config.put("targets[" + i + "].active-interval", "1s");
        }
        return config;
    }

    private static List<TaskSnapshot> snapshots(EmbeddedConnectCluster connect, Map<String, Object> serde) {
        Deserializer<TaskSnapshot> values = AvroSerdes.specific(TaskSnapshot.class, serde, false).deserializer();
        List<TaskSnapshot> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(connect, TOPICS.snapshots())) {
            out.add(values.deserialize(r.topic(), r.value()));
        }
        return out;
    }

    private static int positions(EmbeddedConnectCluster connect) {
        return (int) readAll(connect, TOPICS.pollerPositions()).stream().map(r -> new String(r.key())).distinct()
                .count();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedConnectCluster connect, String topic) {
        return CommittedRecords.readAll(connect.kafka().bootstrapServers(), topic);
    }
}
