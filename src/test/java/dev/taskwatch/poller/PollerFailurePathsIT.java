package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.taskwatch.assembly.PollerAssembly;
import dev.taskwatch.assembly.TaskSources;
import dev.taskwatch.model.DeadLetterHeaders;
import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.config.ConfigLoader;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.http.OutboundHttp;
import dev.taskwatch.runtime.ConfiguredEnvironment;
import dev.taskwatch.runtime.TopicAdmin;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.testing.BrokerAndRegistry;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import kong.unirest.core.UnirestInstance;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every failure path of the poller once through the production wiring: the configuration read from YAML, the
 * targets, authenticators and dialects made by {@link ConfiguredEnvironment#configuredTaskSources} (what {@code poll}
 * and the connector use), the serde configuration of {@link ConfiguredEnvironment#configuredSerdeConfig}, topics
 * made by {@link TopicAdmin}, and {@code new KafkaSnapshotSink(kafka, serde, topics)} exactly as
 * {@code TaskwatchRuntime.startPoller} builds it, on a real broker and registry. The real {@link Poller} steps the
 * real openGauss dialect against a small HTTP task center on a manual clock.
 */
class PollerFailurePathsIT {

    @RegisterExtension
    static final BrokerAndRegistry services = new BrokerAndRegistry();

    private static final String GOOD = """
            {"job_id": "good-1", "name": "CreateGaussDBInstance", "status": "Completed", "process": "100%",
             "created_at": "2026-11-19T20:00:00+0800", "ended_at": "2026-11-19T20:10:00+0800",
             "instance_info": {"instance_id": "i-1", "instance_name": "db1", "instance_status": "ACTIVE"}}""";
    /** Every field of the SDK's TaskDetailResult is optional; a task without a name cannot be normalised. */
    private static final String NAMELESS = """
            {"job_id": "bad-1", "name": null, "status": "Running", "process": "20%",
             "created_at": "2026-11-19T12:00:00+0000", "instance_info": {"instance_id": "i-2"}}""";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-20T12:00:00Z"));
    private final AtomicReference<String> body = new AtomicReference<>("{\"tasks\": [], \"total_count\": 0}");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private HttpServer server;
    private Topics topics;
    private TaskwatchConfig config;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v3/p/tasks", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        String prefix = "fp-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        config = ConfigLoader.parse("""
                kafka:
                  bootstrap-servers: %s
                schema-registry:
                  url: %s
                topics:
                  prefix: %s
                  partitions: 2
                credentials:
                  c:
                    type: token
                    token: not-a-secret
                targets:
                  - service: opengauss
                    region: eu-de
                    project-id: p
                    credentials: c
                    endpoint: http://127.0.0.1:%d
                    page-size: 10
                poller:
                  max-response-size: 4KB
                """.formatted(services.bootstrapServers(), services.registryUrl(), prefix,
                server.getAddress().getPort()), Map.of());
        topics = config.topics().names();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        server.stop(0);
    }

    /** The poller as {@code poll} assembles it, built manual so that the test steps it on its clock. */
    private Poller poller() {
        Map<String, Object> kafka = config.kafka().clientProperties(null);
        Map<String, Object> serde = ConfiguredEnvironment.configuredSerdeConfig(config);
        UnirestInstance unirest = OutboundHttp.create(config.pollerNetwork().clientSettings());
        closing.add(unirest::close);
        TaskSources sources = PollerAssembly.configuredTaskSources(config, unirest, clock, registry);
        KafkaSnapshotSink sink = new KafkaSnapshotSink(kafka, serde, topics);
        closing.add(sink);
        Poller poller = Poller.builder(config.poller(), sources.targets()).rateLimits(sources.rateLimits())
                .snapshots(sink).http(unirest).maxResponseBytes(config.pollerNetwork().maxResponseSize())
                .metrics(registry).clock(clock).random(() -> 0.0).manual().build();
        closing.add(0, poller::close);
        poller.start();
        return poller;
    }

    private void createTopics() {
        new TopicAdmin(config.kafka().clientProperties(null), TopicAdmin.Settings.defaults()
                .withPartitions(2, (short) -1)).createMissing(topics);
    }

    private static String page(String... tasks) {
        return "{\"tasks\": [" + String.join(", ", tasks) + "], \"total_count\": " + tasks.length + "}";
    }

    @Test
    void shouldPublishTheGoodTaskAndDeadLetterTheNamelessOneWithItsHeadersAndKeepPolling() throws Exception {
        createTopics();
        body.set(page(GOOD, NAMELESS));
        Poller poller = poller();
        ManualDriver driver = new ManualDriver(clock, poller);

        driver.runFor(Duration.ofSeconds(2));

        assertThat(poller.failure()).as("a reject must not stop the poller").isEmpty();
        assertThat(snapshots(1)).extracting(TaskSnapshot::getTaskId).containsExactly("good-1");
        ConsumerRecord<byte[], byte[]> letter = records(topics.pollerDlq(), 1).get(0);
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("bad-1");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).contains("\"job_id\": \"bad-1\"");
        assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo("tasks[1].name is missing");
        assertThat(header(letter, DeadLetterHeaders.TARGET)).isEqualTo("opengauss/eu-de/p");
        assertThat(header(letter, DeadLetterHeaders.SOURCE)).endsWith("/v3/p/tasks");
        assertThat(poller.health()).singleElement().satisfies(h -> {
            assertThat(h.lastError()).isNull();
            assertThat(h.cycleCompleted()).isTrue();
        });

        driver.runFor(Duration.ofSeconds(40));
        assertThat(poller.failure()).as("later cycles still run").isEmpty();
        assertThat(registry.find("taskwatch.poller.requests").counters().stream()
                .mapToDouble(c -> c.count()).sum()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldReportAnOversizedAnswerAsTheTargetsErrorAndRecoverWhenTheAnswersShrink() throws Exception {
        createTopics();
        body.set(page(GOOD.replace("CreateGaussDBInstance", "x".repeat(8 * 1024))));
        Poller poller = poller();
        ManualDriver driver = new ManualDriver(clock, poller);

        driver.runFor(Duration.ofSeconds(2));

        assertThat(poller.failure()).isEmpty();
        assertThat(poller.health().get(0).lastError()).contains("poller.max-response-size");
        body.set(page(GOOD));
        driver.runFor(Duration.ofMinutes(6)); // past the longest backoff
        assertThat(poller.failure()).isEmpty();
        assertThat(snapshots(1)).extracting(TaskSnapshot::getTaskId).containsExactly("good-1");
        assertThat(poller.health().get(0).lastError()).isNull();
    }

    @Test
    void shouldReportAMalformedPageAsTheTargetsErrorAndRecover() throws Exception {
        createTopics();
        body.set("{\"tasks\": [" + GOOD + ", {\"job_id\": "); // cut off: no structure left to resume on
        Poller poller = poller();
        ManualDriver driver = new ManualDriver(clock, poller);

        driver.runFor(Duration.ofSeconds(2));

        assertThat(poller.failure()).isEmpty();
        assertThat(poller.health().get(0).lastError()).startsWith("Malformed response from target opengauss/eu-de/p");
        body.set(page(GOOD));
        driver.runFor(Duration.ofMinutes(6));
        assertThat(poller.failure()).isEmpty();
        assertThat(snapshots(1)).extracting(TaskSnapshot::getTaskId).containsExactly("good-1");
    }

    @Test
    void shouldNameAMissingDeadLetterTopicKeepRunningAndDeliverOnceItIsCreated() throws Exception {
        createTopics();
        try (Admin admin = Admin.create(config.kafka().clientProperties(null))) {
            admin.deleteTopics(List.of(topics.pollerDlq())).all().get();
        }
        body.set(page(GOOD, NAMELESS));
        Poller poller = poller();
        ManualDriver driver = new ManualDriver(clock, poller);

        driver.runFor(Duration.ofSeconds(2)); // the dead letter waits up to 10 s (real time) for the topic

        assertThat(poller.failure()).as("no exit, so no crash loop").isEmpty();
        assertThat(poller.health().get(0).lastError()).contains("dead-letter topic " + topics.pollerDlq())
                .contains("does not exist");

        try (Admin admin = Admin.create(config.kafka().clientProperties(null))) {
            admin.createTopics(List.of(new NewTopic(topics.pollerDlq(), 1, (short) 1))).all().get();
        }
        driver.runFor(Duration.ofMinutes(6));
        assertThat(poller.failure()).isEmpty();
        assertThat(records(topics.pollerDlq(), 1)).singleElement()
                .satisfies(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("bad-1"));
        assertThat(poller.health().get(0).lastError()).isNull();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** The distinct snapshots on the snapshot topic (a retried cycle may publish a task twice). */
    private List<TaskSnapshot> snapshots(int atLeast) {
        var values = AvroSerdes.specific(TaskSnapshot.class, ConfiguredEnvironment.configuredSerdeConfig(config),
                false).deserializer();
        return records(topics.snapshots(), atLeast).stream()
                .map(r -> values.deserialize(r.topic(), r.headers(), r.value()))
                .filter(distinctBy(TaskSnapshot::getTaskId)).toList();
    }

    private static <T> java.util.function.Predicate<T> distinctBy(java.util.function.Function<T, ?> key) {
        java.util.Set<Object> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return t -> seen.add(key.apply(t));
    }

    private List<ConsumerRecord<byte[], byte[]>> records(String topic, int atLeast) {
        Map<String, Object> props = new java.util.HashMap<>(config.kafka().clientProperties(null));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            assertThat(out).as("records on " + topic).hasSizeGreaterThanOrEqualTo(atLeast);
            return out;
        }
    }
}
