package dev.taskwatch.transitions;

import dev.taskwatch.testing.LongRunning;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.serde.AvroDeserializer;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.BrokerAndRegistry;
import dev.taskwatch.testing.SimulatorTargets;
import dev.taskwatch.testing.StagedTasks;
import dev.taskwatch.testing.StagedTasks.Stage;
import dev.taskwatch.testing.TaskwatchProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
    /** Poll interval plus publish: a stage shorter than this inside a window may be missed even by a healthy run. */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    @RegisterExtension
    static final BrokerAndRegistry services = new BrokerAndRegistry();

    @TempDir
    Path dir;

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

            StagedTasks script = new StagedTasks(simulator, PROJECT, STAGE, random);
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
            Set<String> taskIds = script.taskIds();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (StagedTasks.terminals(events(seen)).size() < taskIds.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(2_000); // a few more poll and commit cycles: nothing may be repeated
            process.stopCleanly();
            consuming.set(false);
            consumer.join(10_000);
            log.info("Recovery times after kill -9: {} s", recoveries);

            assertEvents(seen, script, lives, recoveriesAsWindows(lives, seen));
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

    private static void assertEvents(List<Seen> seen, StagedTasks script, List<Life> lives,
            List<long[]> upWindows) {
        Map<String, List<TaskEvent>> byTask = script.assertEvents(events(seen), stage -> upWindows.stream()
                .anyMatch(w -> stage.from() >= w[0] && stage.to() + MARGIN.toNanos() <= w[1]));
        for (Stage stage : script.stages()) {
            List<TaskEvent> events = byTask.get(stage.taskId());
            boolean observed = stage.status().equals("RUNNING") && events.stream()
                    .anyMatch(e -> !StagedTasks.isTerminal(e.getType()) && Integer.valueOf(stage.progress()).equals(e.getProgressPercent()));
            boolean everAlive = lives.stream().anyMatch(l -> stage.from() < l.killed() && stage.to() > l.spawned());
            if (observed) {
                assertThat(everAlive).as("%s at %d %% observed although served only while down", stage.taskId(),
                        stage.progress()).isTrue();
            }
        }
    }

    private static List<TaskEvent> events(List<Seen> seen) {
        return seen.stream().map(Seen::event).toList();
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
