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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector while the Kafka cluster under it rolls and fails, in the shape of Kafka's own
 * {@code streams_broker_bounce_test}: three brokers (every topic three replicas, two in sync required), two
 * in-process Connect workers with exactly-once source support, the transitions topology reading the connector's
 * snapshots, and scripted tasks starting, progressing and ending on the simulator throughout. Each broker is bounced
 * in turn (hard, clean, hard), each time once every partition is back in sync; then all three brokers are down for
 * {@link #OUTAGE} and come back. From the committed event topic it proves that every task has exactly the events the
 * rules give (no event id twice, no transition missing), and that the connector's tasks are still running and
 * events flow again within {@link #RESUME_BOUND} of the cluster's return. The figures of each bounce are printed.
 */
@LongRunning
class ConnectorBrokerBounceIT {

    private static final String NAME = "ConnectorBrokerBounceIT";
    private static final Topics TOPICS = new Topics("brokerbounce.");
    private static final String CONNECTOR = "taskwatch";
    private static final Map<String, String> TOKENS = new TreeMap<>(Map.of("a", "bb-token-a", "b", "bb-token-b"));
    private static final int BROKERS = 3;
    private static final int TARGETS = 12;
    private static final int RATE = 5;
    private static final int SCRIPTED_TASKS = 10;
    private static final Duration SPAWN_EVERY = Duration.ofSeconds(4);
    /**
     * Longer than the connector is blind in the whole-cluster outage: after {@code session.timeout.ms} without the
     * group coordinator each worker stops its tasks, which start again from their committed positions once the
     * cluster is back (about 35 s for an outage of 30 s); a stage shorter than that could begin and end unseen.
     */
    private static final Duration STAGE = Duration.ofSeconds(45);
    private static final Duration DOWN = Duration.ofSeconds(4);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration RESUME_BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldEmitExactlyTheExpectedEventsThroughEachBrokerBouncedAndAWholeClusterOutage() throws Exception {
        ShiftedClock clock = new ShiftedClock();
        List<PolledPlace> places = PolledPlaces.places(TARGETS, List.copyOf(TOKENS.keySet()));
        List<String> figures = new ArrayList<>();
        List<SimTask> history;
        List<TaskEvent> events;
        ScriptedTasks scripted;
        try (ApicurioRegistry registry = ApicurioRegistry.start();
                Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                        .withAcceptedTokens(Set.copyOf(TOKENS.values())), clock, d -> { })) {
            history = PolledPlaces.history(simulator.tasks(), clock, places, 1);
            EmbeddedConnectCluster connect = ConnectTestCluster.start("taskwatch-broker-bounce", 2, BROKERS,
                    Map.of("exactly.once.source.support", "enabled"));
            String bootstrap = connect.kafka().bootstrapServers();
            Map<String, Object> serde = Map.of("schema.registry.url", registry.ccompatUrl());
            BrokerBounces brokers = new BrokerBounces(connect.kafka());
            try {
                ConnectTestCluster.createTopics(connect, TOPICS, BROKERS);
                try (TransitionsApp transitions = TransitionsUnderTest.create(bootstrap, TOPICS, serde,
                        dir.resolve("state"), BROKERS)) {
                    transitions.start();
                    connect.configureConnector(CONNECTOR, PolledPlaces.connectorConfig(TOPICS, simulator,
                            registry.ccompatUrl(), bootstrap, 2, TOKENS, RATE, places));
                    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 2,
                            "both tasks to start");
                    await("every target's history read and its position committed").atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofSeconds(1)).until(() -> CommittedRecords.distinctKeys(bootstrap,
                                    TOPICS.pollerPositions()) == TARGETS);

                    scripted = ScriptedTasks.start(simulator.tasks(), places, SCRIPTED_TASKS, SPAWN_EVERY, STAGE);
                    try {
                        Thread.sleep(4_000); // the first tasks start on a full cluster
                        for (int broker = 0; broker < brokers.count(); broker++) {
                            boolean hard = broker % 2 == 0;
                            long stopping = System.nanoTime();
                            if (hard) {
                                brokers.stopHard(broker);
                            } else {
                                brokers.stopCleanly(broker);
                            }
                            long stopped = System.nanoTime();
                            Thread.sleep(DOWN.toMillis());
                            long restarting = System.nanoTime();
                            brokers.start(broker);
                            long started = System.nanoTime();
                            brokers.awaitFullyReplicated(Duration.ofSeconds(90));
                            figures.add(String.format("broker %d stopped %s in %.1f s, down %.1f s, restarted in"
                                    + " %.1f s, every partition in sync %.1f s later", broker, hard ? "hard"
                                    : "cleanly", seconds(stopped - stopping), seconds(restarting - stopped),
                                    seconds(started - restarting), seconds(System.nanoTime() - started)));
                        }

                        long outageStart = System.nanoTime();
                        for (int broker = 0; broker < brokers.count(); broker++) {
                            brokers.stopHard(broker);
                        }
                        Thread.sleep(OUTAGE.toMillis());
                        for (int broker = 0; broker < brokers.count(); broker++) {
                            brokers.start(broker);
                        }
                        long back = System.nanoTime();
                        int before = CommittedRecords.taskEvents(bootstrap, TOPICS.events(), serde).size();
                        // the bound on the resumption: the await fails beyond it
                        await("events flowing again after the whole cluster came back").atMost(RESUME_BOUND)
                                .pollInterval(Duration.ofMillis(250)).until(() -> CommittedRecords.taskEvents(
                                        bootstrap, TOPICS.events(), serde).size() > before);
                        Duration resumed = Duration.ofNanos(System.nanoTime() - back);
                        brokers.awaitFullyReplicated(Duration.ofSeconds(90));
                        figures.add(String.format("all %d brokers down hard for %.1f s; the first new event"
                                + " committed %.1f s after they were back", brokers.count(),
                                seconds(back - outageStart), seconds(resumed.toNanos())));

                        events = await("the terminal event of every scripted and every history task")
                                .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                                .until(() -> CommittedRecords.taskEvents(bootstrap, TOPICS.events(), serde),
                                        e -> scripted.allEnded(e, history));
                        assertThat(ConnectorTasks.running(connect, CONNECTOR)).as("tasks still running")
                                .isEqualTo(2);
                    } finally {
                        scripted.close();
                    }
                }
            } finally {
                connect.stop();
            }
        }

        figures.forEach(f -> System.out.println(NAME + ": " + f));
        scripted.assertEveryTaskHasExactlyItsEvents(NAME, events, history);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
