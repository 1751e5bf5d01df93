package dev.taskwatch.connect;

import dev.taskwatch.testing.LongRunning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskwatch.connect.PolledPlaces.PolledPlace;
import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.SimulatedRequest;
import dev.taskwatch.devkit.simulator.SimulatedTaskCenter;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.ApicurioRegistry;
import dev.taskwatch.transitions.TransitionsApp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector through worker bounces, in the shape of Kafka's own {@code test_exactly_once_source} system test: three
 * in-process Connect workers with exactly-once source support, two credentials, forty targets on the simulator, the
 * transitions topology consuming the connector's output, and four rounds in which the worker running one of the two
 * tasks is stopped and a fresh worker added, while scripted tasks start, progress and end. It proves, from the
 * simulator's side and from the committed event topic:
 * <ul>
 *   <li>every task yields exactly the events the rules give: a scripted task STARTED, PROGRESSED 50, then COMPLETED
 *       or FAILED; a task of the history one backfill COMPLETED; no event id twice;</li>
 *   <li>the simulator never received more requests of one credential in a second than its
 *       {@code requests-per-second}, across the whole cluster, bounces included;</li>
 *   <li>no target read its 30-day history again after the first read (the positions moved with the tasks).</li>
 * </ul>
 * A stage of a scripted task lasts {@link #STAGE}, far longer than a task takes to move, so every stage is observed
 * and the expected events are exact. The figures of each bounce are printed.
 */
@LongRunning
class ConnectorWorkerBounceIT {

    private static final Topics TOPICS = new Topics("bounce.");
    private static final String CONNECTOR = "taskwatch";
    private static final Map<String, String> TOKENS = new TreeMap<>(Map.of("a", "bounce-token-a", "b",
            "bounce-token-b"));
    private static final int TARGETS = 40;
    private static final int RATE = 5;
    private static final int HISTORY_PER_TARGET = 2;
    private static final int SCRIPTED_TASKS = 24;
    private static final Duration SPAWN_EVERY = Duration.ofSeconds(3);
    private static final Duration STAGE = Duration.ofSeconds(24);
    private static final int ROUNDS = 4;

    @TempDir
    Path dir;

    @Test
    void shouldEmitExactlyTheExpectedEventsWithinTheBudgetWithoutReReadingHistoryThroughFourWorkerBounces()
            throws Exception {
        ShiftedClock clock = new ShiftedClock();
        List<SimulatedRequest> requests = new CopyOnWriteArrayList<>();
        List<PolledPlace> places = PolledPlaces.places(TARGETS, List.copyOf(TOKENS.keySet()));
        List<String> bounces = new ArrayList<>();
        Instant historyRead;
        List<TaskEvent> events;
        List<SimTask> history;
        ScriptedTasks scripted;
        try (ApicurioRegistry registry = ApicurioRegistry.start();
                Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                        .withAcceptedTokens(Set.copyOf(TOKENS.values())), clock, d -> { })) {
            simulator.onRequest(requests::add);
            SimulatedTaskCenter tasks = simulator.tasks();
            history = PolledPlaces.history(tasks, clock, places, HISTORY_PER_TARGET);

            EmbeddedConnectCluster connect = ConnectTestCluster.start("taskwatch-bounce", 3,
                    Map.of("exactly.once.source.support", "enabled"));
            String bootstrap = connect.kafka().bootstrapServers();
            Map<String, Object> serde = Map.of("schema.registry.url", registry.ccompatUrl());
            try {
                ConnectTestCluster.createTopics(connect, TOPICS, 1);
                try (TransitionsApp transitions = TransitionsUnderTest.create(bootstrap, TOPICS, serde,
                        dir.resolve("state"), 1)) {
                    transitions.start();
                    connect.configureConnector(CONNECTOR, PolledPlaces.connectorConfig(TOPICS, simulator,
                            registry.ccompatUrl(), bootstrap, 2, TOKENS, RATE, places));
                    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 2,
                            "both tasks to start");
                    // A position is committed in the transaction of the snapshots it covers, together with its
                    // source offset: once every target has one, no target needs its history again.
                    await("every target's history read and its position committed").atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofSeconds(1)).until(() -> CommittedRecords.distinctKeys(bootstrap,
                                    TOPICS.pollerPositions()) == TARGETS);
                    historyRead = Instant.now();

                    scripted = ScriptedTasks.start(tasks, places, SCRIPTED_TASKS, SPAWN_EVERY, STAGE);
                    try {
                        for (int round = 1; round <= ROUNDS; round++) {
                            Thread.sleep(8_000); // tasks run, progress and end on the current assignment
                            int task = round % 2;
                            WorkerHandle victim = ConnectorTasks.workerRunning(connect, CONNECTOR, task);
                            int victimPort = victim.url().getPort(); // a stopped worker has no URL any more
                            long stopping = System.nanoTime();
                            connect.removeWorker(victim);
                            long stopped = System.nanoTime();
                            ConnectorTasks.awaitRunningAwayFrom(connect, CONNECTOR, 2, victimPort,
                                    Duration.ofSeconds(90), "round " + round + ": task " + task
                                            + " to run on another worker");
                            long moved = System.nanoTime();
                            connect.addWorker();
                            await("round " + round + ": three workers, both tasks running")
                                    .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                                    .until(() -> connect.healthyWorkers().size() == 3
                                            && ConnectorTasks.running(connect, CONNECTOR) == 2);
                            bounces.add(String.format("round %d: worker of task %d stopped in %.1f s, task running"
                                    + " elsewhere %.1f s later, new worker joined and both tasks running %.1f s"
                                    + " later", round, task, (stopped - stopping) / 1e9, (moved - stopped) / 1e9,
                                    (System.nanoTime() - moved) / 1e9));
                        }

                        events = await("the terminal event of every scripted and every history task")
                                .atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                                .until(() -> CommittedRecords.taskEvents(bootstrap, TOPICS.events(), serde),
                                        e -> scripted.allEnded(e, history));
                    } finally {
                        scripted.close();
                    }
                }
            } finally {
                connect.stop();
            }
        }

        bounces.forEach(b -> System.out.println("ConnectorWorkerBounceIT: " + b));
        scripted.assertEveryTaskHasExactlyItsEvents("ConnectorWorkerBounceIT", events, history);
        assertEachCredentialWithinItsRateEverySecond(requests);
        assertNoHistoryReadAgain(requests, places, historyRead);
    }

    private static void assertEachCredentialWithinItsRateEverySecond(List<SimulatedRequest> requests) {
        for (Map.Entry<String, String> credential : TOKENS.entrySet()) {
            String caller = SimulatedRequest.tokenCaller(credential.getValue());
            List<Instant> times = requests.stream().filter(r -> r.caller().equals(caller))
                    .map(SimulatedRequest::receivedAt).sorted().toList();
            Map<Long, Long> perSecond = times.stream().collect(Collectors.groupingBy(Instant::getEpochSecond,
                    TreeMap::new, Collectors.counting()));
            Duration closest = Duration.ofDays(1);
            for (int i = 1; i < times.size(); i++) {
                Duration gap = Duration.between(times.get(i - 1), times.get(i));
                closest = gap.compareTo(closest) < 0 ? gap : closest;
            }
            long busiest = perSecond.values().stream().mapToLong(Long::longValue).max().orElse(0);
            System.out.printf("ConnectorWorkerBounceIT: credential %s: %d requests over %d s, busiest second %d"
                    + " (limit %d), closest two requests %d ms apart (slot %d ms)%n", credential.getKey(),
                    times.size(), perSecond.size(), busiest, RATE, closest.toMillis(), 1000 / RATE);
            assertThat(times).as("credential %s was used", credential.getKey()).hasSizeGreaterThan(100);
            assertThat(perSecond).as("requests of credential %s per second, whole cluster", credential.getKey())
                    .allSatisfy((second, count) -> assertThat(count).isLessThanOrEqualTo(RATE));
        }
        assertThat(requests).extracting(SimulatedRequest::caller).as("every request paid by a configured credential")
                .containsOnly(TOKENS.values().stream().map(SimulatedRequest::tokenCaller).toArray(String[]::new));
    }

    private static void assertNoHistoryReadAgain(List<SimulatedRequest> requests, List<PolledPlace> places,
            Instant historyRead) {
        // A cycle lists what is new (a sweep the 7-day lookback); only a first start reaches back 30 days (its list of
        // what still runs before the lookback).
        Instant longAgo = historyRead.minus(Service.API_VISIBILITY).plus(Duration.ofDays(1));
        List<SimulatedRequest> historyReads = requests.stream().filter(r -> r.listsFromOrBefore(longAgo)).toList();
        assertThat(historyReads.stream().map(r -> r.service() + "/" + r.projectId()).distinct().count())
                .as("each target read its history once at first").isEqualTo(places.size());
        List<SimulatedRequest> again = historyReads.stream().filter(r -> r.receivedAt().isAfter(historyRead))
                .toList();
        System.out.printf("ConnectorWorkerBounceIT: %d history requests before the bounces, %d after%n",
                historyReads.size() - again.size(), again.size());
        assertThat(again).as("history reads after the first one (window start, target)")
                .extracting(r -> r.windowStart() + " " + r.service() + "/" + r.projectId()).isEmpty();
    }
}
