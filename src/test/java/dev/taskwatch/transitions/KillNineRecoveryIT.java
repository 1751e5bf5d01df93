package dev.taskwatch.transitions;

import dev.taskwatch.testing.LongRunning;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.serde.AvroDeserializer;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.BrokerAndRegistry;
import dev.taskwatch.testing.SimulatorTargets;
import dev.taskwatch.testing.TaskwatchProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crash test in the style of Kafka's {@code streams_eos_test}: the real jar in production mode (in-process broker,
 * Apicurio), a scripted simulator whose tasks move through stages of a few seconds (RUNNING 0 %, 25 %, 50 %, 75 %,
 * then COMPLETED or FAILED), and three {@code kill -9} of taskwatch at random points, each followed by an immediate
 * restart on the same state directory and group instance id. The read_committed event topic must then hold, per task,
 * exactly what the rules give for the stages taskwatch could see: every stage served entirely while taskwatch was up
 * (after it recovered) is observed, nothing is observed that was served only while it was down, no event id occurs
 * twice, every task has its one terminal event, last. The time from each restart to the next committed event is
 * printed as a figure (no timed assertion: the machine is shared).
 */
@LongRunning
class KillNineRecoveryIT {

    private static final Logger log = LoggerFactory.getLogger(KillNineRecoveryIT.class);
    private static final String PROJECT = "crash";
    private static final Duration STAGE = Duration.ofSeconds(3);
    private static final int[] PROGRESS = {0, 25, 50, 75};
    /** Poll interval plus publish: a stage shorter than this inside a window may be missed even by a healthy run. */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    @RegisterExtension
    static final BrokerAndRegistry services = new BrokerAndRegistry();

    @TempDir
    Path dir;

    /** One stage of one task as the simulator served it: [from, to) in System.nanoTime. */
    record Stage(String taskId, String status, int progress, long from, long to) {}

    /** One process lifetime: [spawned, killed) in System.nanoTime; killed = Long.MAX_VALUE for the last one. */
    record Life(long spawned, long killed) {}

    /** An event as the read_committed consumer received it. */
    record Seen(long at, TaskEvent event) {}

    @Test
    void shouldObserveEveryStageServedWhileUpAcrossThreeKillNines() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        log.info("Kill points seed {}", seed);
        Topics topics = new Topics("crash.");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                services.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.events(), 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Path config = dir.resolve("taskwatch.yaml");
        // Kafka's client INFO lines carry the milestones of a restart (process id, join, fencing, restore, RUNNING).
        Map<String, String> env = Map.of(StaticMembership.ENV, "crash-it-0", "TASKWATCH_KAFKA_LOG_LEVEL", "INFO");
        String[] args = {"run", "--config", config.toString(), "--data-dir", dir.resolve("data").toString(),
                "--print-events", "none"};

        List<Seen> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean consuming = new AtomicBoolean(true);
        Thread consumer = new Thread(() -> consume(topics.events(), seen, consuming), "crash-it-consumer");
        consumer.start();

        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withNotFoundGrace(Duration.ZERO))) {
            Files.writeString(config, config(topics, simulator));
            List<Life> lives = new ArrayList<>();
            List<Double> recoveries = new ArrayList<>();
            TaskwatchProcess process = TaskwatchProcess.start(dir, env, args);
            long spawned = System.nanoTime();
            process.awaitStderr(line -> line.contains("started:"));

            Script script = new Script(simulator, random);
            script.start();
            for (int kill = 1; kill <= 3; kill++) {
                Thread.sleep(8_000 + random.nextInt(8_000));
                process.process().destroyForcibly(); // SIGKILL
                process.process().waitFor(10, TimeUnit.SECONDS);
                long killed = System.nanoTime();
                lives.add(new Life(spawned, killed));
                process = TaskwatchProcess.start(dir, env, args);
                spawned = System.nanoTime();
                long restarted = spawned;
                long deadline = restarted + TimeUnit.SECONDS.toNanos(180);
                while (seen.stream().noneMatch(s -> s.at() > restarted) && System.nanoTime() < deadline) {
                    assertThat(process.process().isAlive()).as(process.stderrTail()).isTrue();
                    Thread.sleep(20);
                }
                double recovery = seen.stream().filter(s -> s.at() > restarted).mapToLong(Seen::at).min()
                        .orElse(deadline) - restarted;
                recoveries.add(recovery / 1e9);
                System.out.printf("recovery after kill -9 #%d: %.1f s from restart to the next committed event "
                        + "(restart at %s)%n", kill, recovery / 1e9,
                        java.time.LocalTime.now().minusNanos(System.nanoTime() - restarted));
                printMilestones(process);
            }
            lives.add(new Life(spawned, Long.MAX_VALUE));
            script.finish();
            List<Stage> stages = script.stages();
            Set<String> taskIds = script.taskIds();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (terminals(seen).size() < taskIds.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(2_000); // a few more poll and commit cycles: nothing may be repeated
            process.stopCleanly();
            consuming.set(false);
            consumer.join(10_000);
            log.info("Recovery times after kill -9: {} s", recoveries);

            assertEvents(seen, stages, taskIds, lives, recoveriesAsWindows(lives, seen));
        } finally {
            consuming.set(false);
        }
    }

    /** Where the seconds of a restart went: the timestamped milestone lines of the restarted process. */
    private static void printMilestones(TaskwatchProcess process) {
        List<String> marks = List.of("Reading UUID", "Created new process id", "Successfully joined group",
                "Successfully synced group", "ProducerId set", "Initialized", "Restoration", "State transition from",
                "started:", "Reading watch requests", "Embedded", "ready", "Created topics", "Discovered group",
                "fenc", "Resetting", "rebalance", "Assigned", "restor");
        for (String line : process.stderrLines()) {
            if (line.length() > 12 && Character.isDigit(line.charAt(0)) && marks.stream().anyMatch(line::contains)) {
                System.out.println("  | " + (line.length() > 220 ? line.substring(0, 220) : line));
            }
        }
    }

    /** Up windows: from the first committed event after each (re)start to the kill. */
    private static List<long[]> recoveriesAsWindows(List<Life> lives, List<Seen> seen) {
        List<long[]> windows = new ArrayList<>();
        for (int i = 0; i < lives.size(); i++) {
            Life life = lives.get(i);
            long up = i == 0 ? life.spawned() : seen.stream().filter(s -> s.at() > life.spawned())
                    .mapToLong(Seen::at).min().orElse(Long.MAX_VALUE);
            windows.add(new long[] {up, life.killed()});
        }
        return windows;
    }

    private static void assertEvents(List<Seen> seen, List<Stage> stages, Set<String> taskIds, List<Life> lives,
            List<long[]> upWindows) {
        Map<String, List<TaskEvent>> byTask = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (Seen s : seen) {
            TaskEvent e = s.event();
            assertThat(ids.add(e.getEventId())).as("event id %s once: %s", e.getEventId(), e).isTrue();
            TaskKey key = new TaskKey(e.getService(), e.getRegion(), e.getProjectId(), e.getTaskId());
            assertThat(e.getEventId()).isEqualTo(TransitionRules.eventId(key, e.getType(), e.getProgressPercent()));
            byTask.computeIfAbsent(e.getTaskId(), k -> new ArrayList<>()).add(e);
        }
        assertThat(byTask.keySet()).as("tasks with events").containsExactlyInAnyOrderElementsOf(taskIds);
        for (String taskId : taskIds) {
            List<TaskEvent> events = byTask.get(taskId);
            List<Stage> served = stages.stream().filter(st -> st.taskId().equals(taskId)).toList();
            Stage end = served.get(served.size() - 1);
            TaskEvent last = events.get(events.size() - 1);
            assertThat(last.getType().name()).as(taskId + " ends with its terminal event").isEqualTo(end.status());
            assertThat(events.stream().filter(e -> isTerminal(e.getType())).count()).as(taskId + " terminals")
                    .isEqualTo(1);
            assertThat(events.stream().filter(e -> e.getType() == TaskEventType.STARTED).count())
                    .as(taskId + " STARTED").isLessThanOrEqualTo(1);
            List<Integer> progress = events.stream().filter(e -> !isTerminal(e.getType()))
                    .map(TaskEvent::getProgressPercent).toList();
            assertThat(progress).as(taskId + " progress strictly increasing").isSortedAccordingTo(Integer::compare)
                    .doesNotHaveDuplicates();
            for (Stage stage : served) {
                if (!stage.status().equals("RUNNING")) {
                    continue;
                }
                boolean observed = progress.contains(stage.progress());
                boolean covered = upWindows.stream().anyMatch(w -> stage.from() >= w[0]
                        && stage.to() + MARGIN.toNanos() <= w[1]);
                boolean everAlive = lives.stream().anyMatch(l -> stage.from() < l.killed()
                        && stage.to() > l.spawned());
                if (covered) {
                    assertThat(observed).as("%s at %d %% was served while taskwatch was up: %s", taskId,
                            stage.progress(), events).isTrue();
                }
                if (observed) {
                    assertThat(everAlive).as("%s at %d %% observed although served only while down", taskId,
                            stage.progress()).isTrue();
                }
            }
        }
    }

    private static Set<String> terminals(List<Seen> seen) {
        Set<String> done = new HashSet<>();
        seen.stream().filter(s -> isTerminal(s.event().getType())).forEach(s -> done.add(s.event().getTaskId()));
        return done;
    }

    private static boolean isTerminal(TaskEventType type) {
        return type == TaskEventType.COMPLETED || type == TaskEventType.FAILED || type == TaskEventType.CANCELED;
    }

    private static void consume(String topic, List<Seen> seen, AtomicBoolean running) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put("schema.registry.url", services.registryUrl());
        try (KafkaConsumer<TaskKey, TaskEvent> consumer = new KafkaConsumer<>(props,
                new AvroDeserializer<>(TaskKey.class, props, true),
                new AvroDeserializer<>(TaskEvent.class, props, false))) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<TaskKey, TaskEvent> r : consumer.poll(Duration.ofMillis(50))) {
                    seen.add(new Seen(System.nanoTime(), r.value()));
                }
            }
        }
    }

    /**
     * The scripted tasks: a new one every 2 s (GeminiDB and openGauss alternately), each RUNNING for four stages of
     * {@link #STAGE} (0, 25, 50, 75 %), then COMPLETED or FAILED.
     */
    private static final class Script extends Thread {
        private final Simulator simulator;
        private final Random random;
        private final List<Stage> stages = new CopyOnWriteArrayList<>();
        private final AtomicBoolean creating = new AtomicBoolean(true);

        Script(Simulator simulator, Random random) {
            super("crash-it-script");
            this.simulator = simulator;
            this.random = random;
            setDaemon(true);
        }

        @Override
        public void run() {
            record Live(SimTask task, long since, int stage) {}
            List<Live> live = new ArrayList<>();
            long nextCreate = System.nanoTime();
            int n = 0;
            try {
                while (creating.get() || !live.isEmpty()) {
                    long now = System.nanoTime();
                    if (creating.get() && now >= nextCreate) {
                        Service service = n++ % 2 == 0 ? Service.GEMINIDB : Service.OPENGAUSS;
                        live.add(new Live(simulator.tasks().createTask(service, PROJECT, "Resize"), now, 0));
                        nextCreate = now + TimeUnit.SECONDS.toNanos(2);
                    }
                    List<Live> next = new ArrayList<>();
                    for (Live l : live) {
                        if (now - l.since() < STAGE.toNanos()) {
                            next.add(l);
                            continue;
                        }
                        stages.add(new Stage(l.task().id(), "RUNNING", PROGRESS[l.stage()], l.since(), now));
                        if (l.stage() + 1 < PROGRESS.length) {
                            simulator.tasks().setProgress(l.task().id(), PROGRESS[l.stage() + 1]);
                            next.add(new Live(l.task(), now, l.stage() + 1));
                        } else if (random.nextBoolean()) {
                            simulator.tasks().complete(l.task().id());
                            stages.add(new Stage(l.task().id(), "COMPLETED", 100, now, Long.MAX_VALUE));
                        } else {
                            simulator.tasks().fail(l.task().id(), "disk full");
                            stages.add(new Stage(l.task().id(), "FAILED", 0, now, Long.MAX_VALUE));
                        }
                    }
                    live = next;
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops creating tasks and waits until every task has ended. */
        void finish() throws InterruptedException {
            creating.set(false);
            join(60_000);
            assertThat(isAlive()).as("script finished").isFalse();
        }

        List<Stage> stages() {
            return stages;
        }

        Set<String> taskIds() {
            Set<String> ids = new java.util.LinkedHashSet<>();
            stages.forEach(s -> ids.add(s.taskId()));
            return ids;
        }
    }

    private String config(Topics topics, Simulator simulator) {
        return """
                kafka:
                  bootstrap-servers: %s
                schema-registry:
                  url: %s
                topics:
                  prefix: "%s"
                  partitions: 2
                credentials:
                  sim:
                    type: token
                    token: crash-token
                    requests-per-second: 50
                http:
                  port: 0
                transitions:
                  application-id: crash-transitions
                  commit-interval: 200ms
                  state-dir: %s
                targets:
                """.formatted(services.bootstrapServers(), services.registryUrl(), topics.prefix(),
                dir.resolve("streams-state"))
                + SimulatorTargets.yaml(simulator, PROJECT, List.of(Service.GEMINIDB, Service.OPENGAUSS));
    }
}
