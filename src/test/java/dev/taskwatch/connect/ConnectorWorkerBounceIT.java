package dev.taskwatch.connect;

import dev.taskwatch.testing.LongRunning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.SimulatedRequest;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.apache.kafka.streams.StreamsConfig;
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
    private static final List<Service> SERVICES = List.of(Service.DDS, Service.GEMINIDB, Service.OPENGAUSS);
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

    /** One target of the connector: its name, where it polls, and which credential pays. */
    private record PolledPlace(String name, Service service, String projectId, String credential) {}

    /** A task the test starts during the bounces, and how it is scripted to end. */
    private record ScriptedTask(String id, PolledPlace place, boolean fails) {}

    @Test
    void shouldEmitExactlyTheExpectedEventsWithinTheBudgetWithoutReReadingHistoryThroughFourWorkerBounces()
            throws Exception {
        ShiftedClock clock = new ShiftedClock();
        List<SimulatedRequest> requests = new CopyOnWriteArrayList<>();
        List<PolledPlace> places = places();
        ScheduledExecutorService script = Executors.newSingleThreadScheduledExecutor();
        List<ScriptedTask> scripted = new CopyOnWriteArrayList<>();
        List<SimTask> history = new ArrayList<>();
        List<String> bounces = new ArrayList<>();
        Instant historyRead;
        List<TaskEvent> events;
        try (ApicurioRegistry registry = ApicurioRegistry.start();
                Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                        .withAcceptedTokens(Set.copyOf(TOKENS.values())), clock, d -> { })) {
            simulator.onRequest(requests::add);
            SimulatedTaskCenter tasks = simulator.tasks();
            clock.shift = Duration.ofDays(-6); // within the default 7-day lookback: what a first start reads
            for (PolledPlace place : places) {
                for (int i = 0; i < HISTORY_PER_TARGET; i++) {
                    history.add(tasks.complete(tasks.createTask(place.service(), place.projectId(), "Backup" + i)
                            .id()));
                }
            }
            clock.shift = Duration.ZERO;

            EmbeddedConnectCluster connect = ConnectTestCluster.start("taskwatch-bounce", 3,
                    Map.of("exactly.once.source.support", "enabled"));
            String bootstrap = connect.kafka().bootstrapServers();
            Map<String, Object> serde = Map.of("schema.registry.url", registry.ccompatUrl());
            try {
                for (String topic : TOPICS.all()) {
                    connect.kafka().createTopic(topic, topic.equals(TOPICS.snapshots()) ? 6 : 1);
                }
                try (TransitionsApp transitions = transitions(bootstrap, serde)) {
                    transitions.start();
                    connect.configureConnector(CONNECTOR, connectorConfig(simulator, registry, bootstrap, places));
                    connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 2,
                            "both tasks to start");
                    // A position is committed in the transaction of the snapshots it covers, together with its
                    // source offset: once every target has one, no target needs its history again.
                    await("every target's history read and its position committed").atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofSeconds(1)).until(() -> positions(bootstrap) == TARGETS);
                    historyRead = Instant.now();

                    for (int i = 0; i < SCRIPTED_TASKS; i++) {
                        PolledPlace place = places.get(i * 7 % TARGETS); // spread over both credentials
                        boolean fails = i % 5 == 4;
                        script.schedule(() -> {
                            SimTask task = tasks.createTask(place.service(), place.projectId(), "Resize");
                            scripted.add(new ScriptedTask(task.id(), place, fails));
                            script.schedule(() -> tasks.setProgress(task.id(), 50), STAGE.toMillis(),
                                    TimeUnit.MILLISECONDS);
                            script.schedule(() -> fails ? tasks.fail(task.id(), "disk full")
                                    : tasks.complete(task.id()), 2 * STAGE.toMillis(), TimeUnit.MILLISECONDS);
                        }, i * SPAWN_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                    }

                    for (int round = 1; round <= ROUNDS; round++) {
                        Thread.sleep(8_000); // tasks run, progress and end on the current assignment
                        int task = round % 2;
                        WorkerHandle victim = workerRunning(connect, task);
                        int victimPort = victim.url().getPort(); // a stopped worker has no URL any more
                        long stopping = System.nanoTime();
                        connect.removeWorker(victim);
                        long stopped = System.nanoTime();
                        awaitTasksRunningAwayFrom(connect, victimPort, "round " + round + ": task " + task
                                + " to run on another worker");
                        long moved = System.nanoTime();
                        connect.addWorker();
                        await("round " + round + ": three workers, both tasks running").atMost(Duration.ofSeconds(90))
                                .pollInterval(Duration.ofMillis(500)).until(() -> connect.healthyWorkers().size() == 3
                                        && runningTasks(connect) == 2);
                        bounces.add(String.format("round %d: worker of task %d stopped in %.1f s, task running"
                                + " elsewhere %.1f s later, new worker joined and both tasks running %.1f s later",
                                round, task, (stopped - stopping) / 1e9, (moved - stopped) / 1e9,
                                (System.nanoTime() - moved) / 1e9));
                    }

                    Deserializer<TaskEvent> values = AvroSerdes.specific(TaskEvent.class, serde, false)
                            .deserializer();
                    events = await("the terminal event of every scripted and every history task")
                            .atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> CommittedRecords.readAll(bootstrap, TOPICS.events()).stream()
                                    .map(r -> values.deserialize(r.topic(), r.value())).toList(),
                                    e -> scripted.size() == SCRIPTED_TASKS
                                            && terminalIds(e).size() == SCRIPTED_TASKS + history.size());
                }
            } finally {
                script.shutdownNow();
                connect.stop();
            }
        }

        bounces.forEach(b -> System.out.println("ConnectorWorkerBounceIT: " + b));
        assertEveryTaskHasExactlyItsEvents(events, scripted, history);
        assertEachCredentialWithinItsRateEverySecond(requests);
        assertNoHistoryReadAgain(requests, places, historyRead);
    }

    private static void assertEveryTaskHasExactlyItsEvents(List<TaskEvent> events, List<ScriptedTask> scripted,
            List<SimTask> history) {
        assertThat(events).extracting(TaskEvent::getEventId).as("no event id twice").doesNotHaveDuplicates();
        Map<String, List<TaskEvent>> byTask = events.stream().collect(Collectors.groupingBy(TaskEvent::getTaskId,
                LinkedHashMap::new, Collectors.toList()));
        for (ScriptedTask task : scripted) {
            TaskEventType end = task.fails() ? TaskEventType.FAILED : TaskEventType.COMPLETED;
            assertThat(byTask.get(task.id())).as("events of %s on %s", task.id(), task.place().name())
                    .extracting(e -> e.getType() + (e.getType() == TaskEventType.PROGRESSED
                            ? " " + e.getProgressPercent() : "") + (e.getBackfill() ? " backfill" : ""))
                    .containsExactly("STARTED", "PROGRESSED 50", end.toString());
        }
        for (SimTask task : history) {
            assertThat(byTask.get(task.id())).as("events of history task %s", task.id())
                    .extracting(e -> e.getType() + (e.getBackfill() ? " backfill" : ""))
                    .containsExactly("COMPLETED backfill");
        }
        assertThat(byTask).as("no event of a task nobody scripted").hasSize(scripted.size() + history.size());
        System.out.printf("ConnectorWorkerBounceIT: %d events, each task exactly its own: %d scripted tasks"
                + " (STARTED, PROGRESSED 50, terminal), %d history tasks (one backfill COMPLETED)%n", events.size(),
                scripted.size(), history.size());
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

    private TransitionsApp transitions(String bootstrap, Map<String, Object> serde) {
        TransitionSettings settings = TransitionSettings.defaults().withStateDir(dir.resolve("state"))
                .withCommitInterval(Duration.ofMillis(200));
        return new TransitionsApp(TransitionStreamsConfig.properties(bootstrap, settings,
                Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1)),
                TransitionTopology.build(TOPICS, settings, serde, new SimpleMeterRegistry()));
    }

    private static List<PolledPlace> places() {
        List<PolledPlace> places = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            places.add(new PolledPlace(String.format("t%02d", i), SERVICES.get(i % SERVICES.size()),
                    String.format("%032x", 0xb0b0L + i), i < TARGETS / 2 ? "a" : "b"));
        }
        return places;
    }

    private static Map<String, String> connectorConfig(Simulator simulator, ApicurioRegistry registry,
            String bootstrap, List<PolledPlace> places) {
        Map<String, String> config = ConnectTestCluster.connectorConfig(TOPICS, registry.ccompatUrl(), bootstrap, 2);
        TOKENS.forEach((name, token) -> {
            config.put("credentials." + name + ".type", "token");
            config.put("credentials." + name + ".token", token);
            config.put("credentials." + name + ".requests-per-second", String.valueOf(RATE));
        });
        for (int i = 0; i < places.size(); i++) {
            PolledPlace place = places.get(i);
            String prefix = "targets[" + i + "].";
            config.put(prefix + "name", place.name());
            config.put(prefix + "service", place.service().id());
            config.put(prefix + "region", "eu-de");
            config.put(prefix + "project-id", place.projectId());
            config.put(prefix + "endpoint", simulator.endpoint(place.service()).toString());
            config.put(prefix + "credentials", place.credential());
            config.put(prefix + "interval", "10s");
            config.put(prefix + "active-interval", "2s");
        }
        return config;
    }

    private static Set<String> terminalIds(List<TaskEvent> events) {
        return events.stream().filter(e -> e.getType() == TaskEventType.COMPLETED
                || e.getType() == TaskEventType.FAILED).map(TaskEvent::getTaskId).collect(Collectors.toSet());
    }

    private static long positions(String bootstrap) {
        return CommittedRecords.readAll(bootstrap, TOPICS.pollerPositions()).stream().map(r -> new String(r.key()))
                .distinct().count();
    }

    private static long runningTasks(EmbeddedConnectCluster connect) {
        ConnectorStateInfo status = connect.connectorStatus(CONNECTOR);
        return status.tasks().stream().filter(t -> t.state().equals("RUNNING")).count();
    }

    /** The worker the status topic says runs {@code task}; its worker id is the worker's REST host and port. */
    private static WorkerHandle workerRunning(EmbeddedConnectCluster connect, int task) {
        String workerId = connect.connectorStatus(CONNECTOR).tasks().stream().filter(t -> t.id() == task)
                .findFirst().orElseThrow().workerId();
        return connect.workers().stream().filter(w -> workerId.endsWith(":" + w.url().getPort())).findFirst()
                .orElseThrow(() -> new AssertionError("no worker runs task " + task + " (" + workerId + ")"));
    }

    private static void awaitTasksRunningAwayFrom(EmbeddedConnectCluster connect, int goneWorkerPort,
            String what) {
        String port = ":" + goneWorkerPort;
        await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            ConnectorStateInfo status = connect.connectorStatus(CONNECTOR);
            return status.tasks().size() == 2 && status.tasks().stream().allMatch(t ->
                    t.state().equals("RUNNING") && !t.workerId().endsWith(port));
        });
    }
}
