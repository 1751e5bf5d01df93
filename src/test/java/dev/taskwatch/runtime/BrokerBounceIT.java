package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.model.Topics;
import dev.taskwatch.notify.WebhookSender;
import dev.taskwatch.poller.TargetPosition;
import dev.taskwatch.serde.AvroDeserializer;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.ApicurioRegistry;
import dev.taskwatch.testing.KafkaTestCluster;
import dev.taskwatch.testing.LongRunning;
import dev.taskwatch.testing.SimulatorTargets;
import dev.taskwatch.testing.StagedTasks;
import dev.taskwatch.testing.StagedTasks.Stage;
import dev.taskwatch.testing.TaskwatchProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 1, in the style of Kafka's {@code streams_broker_bounce_test}: {@code java -jar taskwatch.jar run} in
 * production mode (poller, transitions and notify; a real Apicurio) over a 3-broker cluster (replication factor 3,
 * {@code min.insync.replicas} 2), polling scripted tasks that move through 3 s stages while each broker in turn is
 * stopped cleanly and restarted, then stopped hard and restarted, and finally all brokers are down for 30 s (the
 * controller stays up: clients talk only to brokers, so for taskwatch the cluster is gone).
 *
 * <p>Checked: per task exactly the events the rules give (no duplicate id, every stage served outside the fault
 * windows observed, one terminal event, last), every event's webhook called once, no stored poller position ahead of
 * the snapshots it covers, {@code /health/ready} 503 naming Kafka during the outage and 200 after it. Printed: the
 * time from the cluster's return to the first snapshot the poller read after it, and the task-center requests made
 * while the cluster was down (figures, not timed assertions, beyond the documented resume bound).
 */
@LongRunning
class BrokerBounceIT {

    private static final String PROJECT = "bounce";
    private static final Duration STAGE = Duration.ofSeconds(3);
    private static final Duration DOWN = Duration.ofSeconds(4);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /** Poll interval plus publish: a stage must lie this far outside a fault window to be certainly observed. */
    private static final Duration MARGIN = Duration.ofSeconds(1);
    /** After a hard stop's broker session: leader election and the clients' metadata refresh. */
    private static final Duration HARD_STOP_FAILOVER = Duration.ofSeconds(2);
    /** The bound docs/operations.md states for the poller's resume after the cluster returns. */
    private static final Duration RESUME_BOUND = Duration.ofSeconds(15);

    private static KafkaTestCluster cluster;
    private static ApicurioRegistry registry;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    /** Fault windows [from, to) in System.nanoTime in which a stage may go unobserved. */
    private final List<long[]> blind = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServices() {
        registry = ApicurioRegistry.start();
        cluster = KafkaTestCluster.start(3);
    }

    @AfterAll
    static void stopServices() {
        if (cluster != null) {
            cluster.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** An event as the read_committed consumer received it. */
    record Seen(long at, TaskEvent event) {}

    /** A snapshot as published: when it arrived here (nanoTime) and its record timestamp. */
    record Published(long at, long timestamp, TaskSnapshot snapshot) {}

    @Test
    void shouldEmitEveryEventOnceThroughBrokerBouncesAndAFullOutage() throws Exception {
        Topics topics = new Topics("bounce.");
        int opsPort = freePort();
        Map<String, AtomicInteger> webhookCalls = new ConcurrentHashMap<>();
        HttpServer webhook = webhook(webhookCalls);
        List<Seen> events = new CopyOnWriteArrayList<>();
        List<Published> snapshots = new CopyOnWriteArrayList<>();
        AtomicBoolean consuming = new AtomicBoolean(true);
        List<Thread> consumers = new ArrayList<>();
        TaskwatchProcess process = null;
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withNotFoundGrace(Duration.ZERO))) {
            Path config = Files.writeString(dir.resolve("taskwatch.yaml"), config(topics, simulator, opsPort,
                    webhook.getAddress().getPort()));
            process = TaskwatchProcess.start(dir, Map.of("TASKWATCH_KAFKA_LOG_LEVEL", "WARN"), "run", "--config",
                    config.toString(), "--data-dir", dir.resolve("data").toString(), "--print-events", "none");
            process.awaitStderr(line -> line.contains("started:"));
            awaitReadiness(opsPort, 200, Duration.ofSeconds(120));
            consumers.add(consume(topics.events(), TaskEvent.class, "read_committed", consuming,
                    r -> events.add(new Seen(System.nanoTime(), r.value()))));
            consumers.add(consume(topics.snapshots(), TaskSnapshot.class, "read_uncommitted", consuming,
                    r -> snapshots.add(new Published(System.nanoTime(), r.timestamp(), r.value()))));

            StagedTasks script = new StagedTasks(simulator, PROJECT, STAGE, new Random(22));
            script.start();
            Thread.sleep(8_000);
            for (int id : cluster.brokerIds()) {
                bounce(id, false, process);
                bounce(id, true, process);
            }
            Outage outage = fullOutage(simulator, opsPort, snapshots, process);
            Thread.sleep(6_000); // stages after the return must be observed again
            script.finish();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (StagedTasks.terminals(events(events)).size() < script.taskIds().size()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            while (!webhookCalls.keySet().containsAll(ids(events)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(3_000); // a few more poll, commit and delivery cycles: nothing may be repeated
            assertThat(process.process().isAlive()).as("taskwatch survived every fault:\n" + process.stderrTail())
                    .isTrue();

            List<TaskEvent> emitted = events(events);
            java.util.function.Predicate<Stage> clear = stage -> blind.stream().noneMatch(w -> stage.from() < w[1]
                    && stage.to() + MARGIN.toNanos() > w[0]);
            script.assertEvents(emitted, clear);
            long required = script.stages().stream().filter(st -> st.status().equals("RUNNING")).filter(clear).count();
            assertThat(webhookCalls.keySet()).as("a webhook call per event, for events only")
                    .containsExactlyInAnyOrderElementsOf(ids(events));
            assertThat(webhookCalls).as("each event's webhook called once")
                    .allSatisfy((id, calls) -> assertThat(calls.get()).as(id).isEqualTo(1));
            assertPositionsNeverAheadOfTheirData(topics, snapshots, script.stages());

            System.out.printf("BrokerBounceIT: %d tasks, %d events (%d RUNNING stages outside the fault windows, "
                    + "each observed), %d snapshots, %d webhook calls; outage %d s: "
                    + "readiness 503 after %.1f s, poller resumed %.1f s after the brokers returned (first "
                    + "snapshot read after the return), readiness 200 after %.1f s, %d task-center requests "
                    + "while down%n", script.taskIds().size(), emitted.size(), required, snapshots.size(),
                    webhookCalls.values().stream().mapToInt(AtomicInteger::get).sum(), OUTAGE.toSeconds(),
                    outage.notReadyAfter / 1e9, outage.resumedAfter / 1e9, outage.readyAfter / 1e9,
                    outage.requestsWhileDown);
            assertThat(Duration.ofNanos(outage.resumedAfter)).as("the poller resumes within the documented bound")
                    .isLessThanOrEqualTo(RESUME_BOUND);
            // the poller's slow-acknowledgement report comes after 10 s, the transitions consumer's after 15 s
            assertThat(Duration.ofNanos(outage.notReadyAfter)).as("readiness 503 early in the outage")
                    .isLessThanOrEqualTo(Duration.ofSeconds(20));
            // the lane waits in its publish (or is paused): at most the page it was reading when the cluster went
            assertThat(outage.requestsWhileDown).as("task-center requests while Kafka was down").isLessThanOrEqualTo(10);
            process.stopCleanly();
        } finally {
            consuming.set(false);
            for (Thread t : consumers) {
                t.join(10_000);
            }
            webhook.stop(0);
            if (process != null) {
                process.kill();
            }
        }
    }

    /** Stops broker {@code id} (hard or clean), keeps it down a while, restarts it, waits until fully replicated. */
    private void bounce(int id, boolean hard, TaskwatchProcess process) throws Exception {
        long from = System.nanoTime();
        if (hard) {
            cluster.stopHard(id);
        } else {
            cluster.stopCleanly(id);
        }
        Thread.sleep(DOWN.toMillis());
        cluster.restart(id);
        cluster.awaitFullyReplicated();
        if (hard) {
            // until the controller fences the broker (its session) its partitions keep a dead leader; then the
            // clients need a metadata refresh to find the new ones
            blind.add(new long[] {from, from + KafkaTestCluster.BROKER_SESSION.plus(HARD_STOP_FAILOVER).toNanos()});
        }
        assertThat(process.process().isAlive()).as("taskwatch survived broker %d's %s stop:%n%s", id,
                hard ? "hard" : "clean", process.stderrTail()).isTrue();
        System.out.printf("BrokerBounceIT: broker %d %s stop and restart took %.1f s%n", id, hard ? "hard" : "clean",
                (System.nanoTime() - from) / 1e9);
    }

    /** Figures of the full outage, nanoseconds. */
    private record Outage(long notReadyAfter, long resumedAfter, long readyAfter, long requestsWhileDown) {}

    private Outage fullOutage(Simulator simulator, int opsPort, List<Published> snapshots, TaskwatchProcess process)
            throws Exception {
        long requestsBefore = simulator.requestCount();
        long down = System.nanoTime();
        cluster.stopAllBrokers();
        long notReadyAt = 0;
        while (System.nanoTime() - down < OUTAGE.toNanos()) {
            HttpResponse<String> r = readiness(opsPort);
            if (notReadyAt == 0 && r.statusCode() == 503) {
                assertThat(r.body()).as("readiness names Kafka").contains("Kafka");
                notReadyAt = System.nanoTime();
            } else if (notReadyAt != 0) {
                assertThat(r.statusCode()).as("not ready for the rest of the outage: " + r.body()).isEqualTo(503);
            }
            assertThat(process.process().isAlive()).as(process.stderrTail()).isTrue();
            Thread.sleep(500);
        }
        assertThat(notReadyAt).as("readiness went 503 during the outage").isNotZero();
        assertThat(readiness(opsPort).body()).as("still naming Kafka at the end of the outage").contains("Kafka");
        long requestsWhileDown = simulator.requestCount() - requestsBefore;
        cluster.restartAllBrokers();
        long back = System.nanoTime();
        Instant backWall = Instant.now();
        blind.add(new long[] {down, back});
        long deadline = back + TimeUnit.SECONDS.toNanos(120);
        long resumed = 0;
        long ready = 0;
        while ((resumed == 0 || ready == 0) && System.nanoTime() < deadline) {
            if (resumed == 0 && snapshots.stream().anyMatch(p -> !p.snapshot().getObservedAt().isBefore(backWall))) {
                resumed = System.nanoTime();
            }
            if (ready == 0 && readiness(opsPort).statusCode() == 200) {
                ready = System.nanoTime();
            }
            Thread.sleep(100);
        }
        assertThat(resumed).as("a snapshot read after the return was published").isNotZero();
        assertThat(ready).as("ready again after the return").isNotZero();
        blind.add(new long[] {back, resumed});
        cluster.awaitFullyReplicated();
        return new Outage(notReadyAt - down, resumed - back, ready - back, requestsWhileDown);
    }

    /**
     * Every position the poller stored was written after the snapshots it covers: each task it lists as running and
     * each scripted task of its service that had ended before its listing started has a snapshot published earlier
     * (record timestamps, both set by the one poller process), the ended ones a terminal snapshot.
     */
    private static void assertPositionsNeverAheadOfTheirData(Topics topics, List<Published> snapshots,
            List<Stage> stages) {
        List<ConsumerRecord<String, String>> positions = readAll(topics.pollerPositions());
        assertThat(positions).as("positions stored").isNotEmpty();
        Map<String, String> serviceOfTask = new HashMap<>();
        snapshots.forEach(p -> serviceOfTask.put(p.snapshot().getTaskId().toString(), p.snapshot().getService().toString()));
        for (ConsumerRecord<String, String> record : positions) {
            if (record.value() == null) {
                continue;
            }
            TargetPosition position = TargetPosition.fromJson(record.value());
            long writtenAt = record.timestamp();
            for (String taskId : position.running().keySet()) {
                assertThat(snapshots).as("running task %s of position %s published before it", taskId, record.value())
                        .anyMatch(p -> p.snapshot().getTaskId().equals(taskId) && p.timestamp() <= writtenAt);
            }
            long listedAtNanos = toNanos(position.listedAt());
            for (Stage end : stages) {
                if (end.status().equals("RUNNING") || end.from() >= listedAtNanos - MARGIN.toNanos()
                        || !position.service().equals(serviceOfTask.get(end.taskId()))) {
                    continue;
                }
                assertThat(snapshots).as("task %s ended before the listing of position %s: its terminal snapshot "
                        + "published before the position", end.taskId(), record.value())
                        .anyMatch(p -> p.snapshot().getTaskId().equals(end.taskId()) && p.timestamp() <= writtenAt
                                && p.snapshot().getStatus().name().equals(end.status()));
            }
        }
    }

    /** A wall-clock instant on this JVM's nanoTime scale (the poller runs on the same machine and clock). */
    private static long toNanos(Instant instant) {
        long nowNanos = System.nanoTime();
        return nowNanos - Duration.between(instant, Instant.now()).toNanos();
    }

    private static List<TaskEvent> events(List<Seen> seen) {
        return seen.stream().map(Seen::event).toList();
    }

    private static List<String> ids(List<Seen> seen) {
        return seen.stream().map(s -> s.event().getEventId()).toList();
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> Thread consume(String topic, Class<V> type,
            String isolation, AtomicBoolean running, java.util.function.Consumer<ConsumerRecord<TaskKey, V>> sink) {
        Thread thread = new Thread(() -> {
            Map<String, Object> props = clientProps();
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
            props.put("schema.registry.url", registry.ccompatUrl());
            Deserializer<TaskKey> keys = new AvroDeserializer<>(TaskKey.class, props, true);
            Deserializer<V> values = new AvroDeserializer<>(type, props, false);
            try (KafkaConsumer<TaskKey, V> consumer = new KafkaConsumer<>(props, keys, values)) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running.get()) {
                    for (ConsumerRecord<TaskKey, V> r : consumer.poll(Duration.ofMillis(50))) {
                        sink.accept(r);
                    }
                }
            }
        }, "bounce-it-" + topic);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Every record of a (small) topic from the beginning to its current end. */
    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(clientProps(), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as(topic + " read within 30 s").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    private static Map<String, Object> clientProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    /** The webhook receiver: counts calls per {@code Idempotency-Key} (the event id) and answers 200. */
    private static HttpServer webhook(Map<String, AtomicInteger> calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst(WebhookSender.IDEMPOTENCY_KEY);
            calls.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private void awaitReadiness(int port, int status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (readiness(port).statusCode() != status) {
            assertThat(System.nanoTime()).as("readiness " + status + " within " + within).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private HttpResponse<String> readiness(int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String config(Topics topics, Simulator simulator, int opsPort, int webhookPort) {
        return """
                kafka:
                  bootstrap-servers: %s
                schema-registry:
                  url: %s
                topics:
                  prefix: "%s"
                  partitions: 2
                  replication-factor: 3
                credentials:
                  sim:
                    type: token
                    token: bounce-token
                    requests-per-second: 50
                http:
                  host: 127.0.0.1
                  port: %d
                transitions:
                  application-id: bounce-transitions
                  commit-interval: 200ms
                  state-dir: %s
                notify:
                  group-id: bounce-notify
                  rules:
                    - name: all
                      webhook:
                        url: http://127.0.0.1:%d/hook
                targets:
                """.formatted(cluster.bootstrapServers(), registry.ccompatUrl(), topics.prefix(), opsPort,
                dir.resolve("streams-state"), webhookPort)
                + SimulatorTargets.yaml(simulator, PROJECT, List.of(Service.GEMINIDB, Service.OPENGAUSS));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
