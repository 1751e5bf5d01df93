package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.connect.PolledPlaces.PolledPlace;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.model.Topics;
import dev.taskwatch.testing.ApicurioRegistry;
import dev.taskwatch.testing.LongRunning;
import dev.taskwatch.transitions.TransitionsApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crashed Connect worker, as docs/operations.md "Connect in production" describes it: the worker running task 0 is
 * killed ({@code kill -9} of its JVM: it neither leaves the group nor stops its task) while scripted tasks start,
 * progress and end on the simulator, with the worker settings that page recommends for fast crash failover
 * ({@code scheduled.rebalance.max.delay.ms=0}, {@code session.timeout.ms=6000}, {@code heartbeat.interval.ms=2000})
 * and exactly-once source support, over three brokers. It proves that task 0 runs on the surviving worker within
 * {@link #FAILOVER_BOUND} of the kill, and, from the committed event topic, that every task has exactly the events the
 * rules give: the dead worker's open transaction is aborted when the survivor's task fences it, and the new task
 * resumes from the positions committed with the snapshots they cover. The measured failover is printed.
 */
@LongRunning
class ConnectorWorkerCrashIT {

    private static final String NAME = "ConnectorWorkerCrashIT";
    private static final Topics TOPICS = new Topics("crash.");
    private static final String CONNECTOR = "taskwatch";
    private static final Map<String, String> TOKENS = new TreeMap<>(Map.of("a", "crash-token-a", "b",
            "crash-token-b"));
    private static final int BROKERS = 3;
    private static final int TARGETS = 12;
    private static final int RATE = 5;
    private static final int SCRIPTED_TASKS = 8;
    private static final Duration SPAWN_EVERY = Duration.ofSeconds(2);
    /** Over twice the failover measured here (8 s), so that no stage begins and ends while task 0 is down. */
    private static final Duration STAGE = Duration.ofSeconds(20);
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldRunTheCrashedWorkersTaskOnTheSurvivorWithinTheBoundAndEmitExactlyTheExpectedEvents() throws Exception {
        ShiftedClock clock = new ShiftedClock();
        List<PolledPlace> places = PolledPlaces.places(TARGETS, List.copyOf(TOKENS.keySet()));
        List<SimTask> history;
        List<TaskEvent> events;
        ScriptedTasks scripted;
        Duration failover;
        try (ApicurioRegistry registry = ApicurioRegistry.start();
                Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                        .withAcceptedTokens(Set.copyOf(TOKENS.values())), clock, d -> { })) {
            history = PolledPlaces.history(simulator.tasks(), clock, places, 1);
            Map<String, String> worker = fastFailoverWorker();
            EmbeddedConnectCluster connect = ConnectTestCluster.start("taskwatch-crash", 1, BROKERS, worker);
            String bootstrap = connect.kafka().bootstrapServers();
            Map<String, Object> serde = Map.of("schema.registry.url", registry.ccompatUrl());
            try {
                ConnectTestCluster.createTopics(connect, TOPICS, BROKERS);
                try (TransitionsApp transitions = TransitionsUnderTest.create(bootstrap, TOPICS, serde,
                        dir.resolve("state"), BROKERS)) {
                    transitions.start();
                    connect.configureConnector(CONNECTOR, PolledPlaces.connectorConfig(TOPICS, simulator,
                            registry.ccompatUrl(), bootstrap, 2, TOKENS, RATE, places));
                    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 2,
                            "both tasks to start on the in-process worker");

                    Map<String, String> childProps = new HashMap<>(ConnectTestCluster.workerProps(worker));
                    childProps.put("bootstrap.servers", bootstrap);
                    try (ConnectWorkerProcess victim = ConnectWorkerProcess.start(dir.resolve("victim"),
                            childProps)) {
                        // To balance two tasks over two workers Connect revokes the first task of the loaded one:
                        // the worker that joins takes task 0.
                        await("the worker in its own JVM to run task 0").atMost(Duration.ofSeconds(90))
                                .pollInterval(Duration.ofMillis(500)).until(() ->
                                        ConnectorTasks.workerPort(connect, CONNECTOR, 0) == victim.port()
                                                && ConnectorTasks.running(connect, CONNECTOR) == 2);
                        await("every target's history read and its position committed")
                                .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                                .until(() -> CommittedRecords.distinctKeys(bootstrap, TOPICS.pollerPositions())
                                        == TARGETS);

                        scripted = ScriptedTasks.start(simulator.tasks(), places, SCRIPTED_TASKS, SPAWN_EVERY,
                                STAGE);
                        try {
                            Thread.sleep(10_000); // scripted tasks start and progress on both workers
                            long killed = System.nanoTime();
                            victim.kill();
                            ConnectorTasks.awaitRunningAwayFrom(connect, CONNECTOR, 2, victim.port(),
                                    FAILOVER_BOUND.multipliedBy(3), "task 0 to run on the surviving worker");
                            failover = Duration.ofNanos(System.nanoTime() - killed);
                            events = await("the terminal event of every scripted and every history task")
                                    .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                                    .until(() -> CommittedRecords.taskEvents(bootstrap, TOPICS.events(), serde),
                                            e -> scripted.allEnded(e, history));
                        } finally {
                            scripted.close();
                        }
                    }
                }
            } finally {
                connect.stop();
            }
        }

        System.out.printf("%s: worker running task 0 killed (SIGKILL); task 0 RUNNING on the survivor %.1f s later"
                + " (bound %d s)%n", NAME, failover.toMillis() / 1e3, FAILOVER_BOUND.toSeconds());
        scripted.assertEveryTaskHasExactlyItsEvents(NAME, events, history);
        assertThat(failover).as("kill to task 0 running on the survivor").isLessThan(FAILOVER_BOUND);
    }

    /**
     * The worker settings of docs/operations.md for fast crash failover, exactly-once source support, and the
     * group and internal topics named here so that the worker in its own JVM joins the in-process one.
     */
    private static Map<String, String> fastFailoverWorker() {
        Map<String, String> worker = new HashMap<>();
        worker.put("exactly.once.source.support", "enabled");
        worker.put("scheduled.rebalance.max.delay.ms", "0");
        worker.put("session.timeout.ms", "6000");
        worker.put("heartbeat.interval.ms", "2000");
        worker.put("group.id", "taskwatch-crash");
        worker.put("config.storage.topic", "taskwatch-crash-configs");
        worker.put("offset.storage.topic", "taskwatch-crash-offsets");
        worker.put("status.storage.topic", "taskwatch-crash-status");
        for (String store : List.of("config", "offset", "status")) {
            worker.put(store + ".storage.replication.factor", String.valueOf(BROKERS));
        }
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        return worker;
    }
}
