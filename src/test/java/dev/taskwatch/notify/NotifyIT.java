package dev.taskwatch.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskwatch.model.DeadLetterHeaders;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.taskwatch.model.Topics;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.config.NotifyConfig;
import dev.taskwatch.config.NotifyConfig.NotifyRule;
import dev.taskwatch.config.NotifyConfig.Retry;
import dev.taskwatch.runtime.TopicAdmin;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.serde.SchemaRegistryClient;
import dev.taskwatch.serde.SchemaRegistryUnavailableException;
import dev.taskwatch.testing.KafkaTestBroker;
import dev.taskwatch.transitions.CloudEventHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Notify end to end against an in-process broker and a WireMock receiver: offsets, dead letters, order per task and
 * the crash window between the HTTP call and the offset commit.
 */
class NotifyIT {

    private static final Map<String, Object> SERDE = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT,
            new InProcessSchemaRegistry());
    private static final Retry FAST = new Retry(1_000, Duration.ofMinutes(1), Duration.ofMillis(50),
            Duration.ofMillis(300));
    private static KafkaTestBroker kafka;

    private final WireMockServer receiver = new WireMockServer(wireMockConfig().dynamicPort());
    private final List<Notifier> started = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @BeforeEach
    void startReceiver() {
        receiver.start();
    }

    @AfterEach
    void stop() {
        started.forEach(Notifier::close);
        receiver.stop();
    }

    private static Map<String, Object> kafkaProps() {
        return Map.of("bootstrap.servers", kafka.bootstrapServers());
    }

    private static Topics topics(String prefix) {
        Topics topics = new Topics(prefix);
        new TopicAdmin(kafkaProps(), TopicAdmin.Settings.defaults().withPartitions(3, (short) 1))
                .createMissing(topics);
        return topics;
    }

    private NotifyRule rule(String name) {
        return TestRules.withRetry(TestRules.to(name, "http://localhost:" + receiver.port() + "/hook"), FAST);
    }

    private Notifier start(Topics topics, String group, NotifyRule rule) {
        Notifier notifier = new Notifier(new NotifyConfig(group, List.of(rule)), kafkaProps(), SERDE, topics,
                new SimpleMeterRegistry());
        started.add(notifier);
        return notifier;
    }

    private static TaskEvent event(String taskId, TaskEventType type, int n) {
        TaskEvent e = RuleMatcherTest.event(type, taskId, "CreateInstance", "db1", false);
        e.setEventId(taskId + "-" + n);
        return e;
    }

    private static void send(Topics topics, TaskEvent... events) throws Exception {
        try (KafkaProducer<TaskKey, TaskEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                AvroSerdes.specific(TaskKey.class, SERDE, true).serializer(),
                AvroSerdes.specific(TaskEvent.class, SERDE, false).serializer())) {
            for (TaskEvent e : events) {
                producer.send(new ProducerRecord<>(topics.events(), null, new TaskKey(e.getService(), e.getRegion(),
                        e.getProjectId(), e.getTaskId()), e, CloudEventHeaders.of(e))).get();
            }
        }
    }

    private List<String> keysReceived() {
        return receiver.findAll(postRequestedFor(urlEqualTo("/hook"))).stream()
                .map(r -> r.getHeader("Idempotency-Key")).toList();
    }

    private static long committed(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(kafkaProps())) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic)).mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    @Test
    void shouldDeadLetterAfterTheLimitWithTheReasonAndCommitPastIt() throws Exception {
        Topics topics = topics("notify-dlq.");
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(500)));
        send(topics, event("t-dead", TaskEventType.COMPLETED, 1));

        start(topics, "g-dlq", TestRules.withRetry(rule("ops"), new Retry(3, Duration.ofMinutes(1),
                Duration.ofMillis(10), Duration.ofMillis(20)))).start();

        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "auto.offset.reset", "earliest", "group.id", "dlq-reader"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topics.notifyDlq()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(dead::add);
                return !dead.isEmpty();
            });
        }
        ConsumerRecord<byte[], byte[]> record = dead.get(0);
        assertThat(header(record, DeadLetterHeaders.REASON))
                .isEqualTo("gave up after 3 attempts (retry.max-attempts): HTTP 500");
        assertThat(header(record, DeadLetterHeaders.RULE)).isEqualTo("ops");
        assertThat(header(record, CloudEventHeaders.ID)).isEqualTo("t-dead-1");
        assertThat(AvroSerdes.specific(TaskEvent.class, SERDE, false).deserializer()
                .deserialize(topics.events(), record.value()).getEventId()).isEqualTo("t-dead-1");
        assertThat(keysReceived()).containsExactly("t-dead-1", "t-dead-1", "t-dead-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> committed("g-dlq", topics.events()) == 1);
    }

    @Test
    void shouldKeepTheOrderPerTaskAndLoseNothingWhileTheReceiverIsDownForAWhile() throws Exception {
        Topics topics = topics("notify-order.");
        int port = receiver.port();
        receiver.stop(); // down before the first event
        List<TaskEvent> events = new ArrayList<>();
        for (String task : List.of("a", "b", "c")) {
            events.add(event(task, TaskEventType.STARTED, 1));
            events.add(event(task, TaskEventType.PROGRESSED, 2));
            events.add(event(task, TaskEventType.COMPLETED, 3));
        }
        send(topics, events.toArray(TaskEvent[]::new));
        NotifyRule rule = TestRules.withRetry(TestRules.to("ops", "http://localhost:" + port + "/hook"), FAST);
        start(topics, "g-order", rule).start();
        Thread.sleep(1_500); // several failed attempts against the closed port

        WireMockServer back = new WireMockServer(wireMockConfig().port(port));
        back.start();
        try {
            // up again, but failing every other call for a while: retries interleave with new events
            back.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
            back.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs("ok")
                    .willReturn(aResponse().withStatus(200)).willSetStateTo(Scenario.STARTED));
            await().atMost(Duration.ofSeconds(60)).until(() -> delivered(back).size() == 9);

            List<String> delivered = delivered(back);
            for (String task : List.of("a", "b", "c")) {
                assertThat(delivered.stream().filter(k -> k.startsWith(task + "-")).toList())
                        .containsExactly(task + "-1", task + "-2", task + "-3");
            }
            assertThat(new LinkedHashSet<>(delivered)).hasSize(9);
            await().atMost(Duration.ofSeconds(30)).until(() -> committed("g-order", topics.events()) == 9);
        } finally {
            back.stop();
        }
    }

    @Test
    void aRegistryOutageWhileDecodingDelaysEventsButNeitherDropsNorDeadLettersThem() throws Exception {
        Topics topics = topics("notify-registry.");
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        send(topics, event("r", TaskEventType.STARTED, 1), event("r", TaskEventType.COMPLETED, 2));
        SchemaRegistryClient shared = (SchemaRegistryClient) SERDE.get(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT);
        java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger(3);
        SchemaRegistryClient flaky = new SchemaRegistryClient() {
            @Override public int register(String subject, org.apache.avro.Schema schema) {
                return shared.register(subject, schema);
            }
            @Override public org.apache.avro.Schema getById(int id) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new SchemaRegistryUnavailableException("schema registry unreachable at http://r (test)",
                            null);
                }
                return shared.getById(id);
            }
            @Override public java.util.Optional<dev.taskwatch.serde.RegisteredSchema> lookup(String subject,
                    org.apache.avro.Schema schema) {
                return shared.lookup(subject, schema);
            }
            @Override public dev.taskwatch.serde.RegisteredSchema latest(String subject) {
                return shared.latest(subject);
            }
            @Override public dev.taskwatch.serde.CompatibilityResult testCompatibility(String subject,
                    org.apache.avro.Schema schema) {
                return shared.testCompatibility(subject, schema);
            }
            @Override public String getCompatibility(String subject) {
                return shared.getCompatibility(subject);
            }
            @Override public void setCompatibility(String subject, String level) {
                shared.setCompatibility(subject, level);
            }
        };
        List<Duration> waits = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> troubles = java.util.Collections.synchronizedList(new ArrayList<>());
        Notifier[] self = new Notifier[1];
        Notifier notifier = new Notifier(new NotifyConfig("g-registry", List.of(rule("ops"))), kafkaProps(),
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, flaky), topics, new SimpleMeterRegistry(),
                java.time.Clock.systemUTC(), d -> {
                    waits.add(d);
                    self[0].trouble().ifPresent(troubles::add);
                });
        self[0] = notifier;
        started.add(notifier);
        notifier.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> committed("g-registry", topics.events()) == 2);
        assertThat(keysReceived()).as("each event delivered once, in order").containsExactly("r-1", "r-2");
        assertThat(waits).as("backoff between readings of the same event").containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(troubles).allSatisfy(t -> assertThat(t).contains("schema registry unreachable at http://r"));
        assertThat(notifier.trouble()).isEmpty();
        assertThat(notifier.failure()).isEmpty();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "auto.offset.reset", "earliest", "group.id", "dlq-check"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> dlq = c.partitionsFor(topics.notifyDlq()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(dlq);
            c.seekToEnd(dlq);
            assertThat(dlq.stream().mapToLong(c::position).sum()).as("nothing dead-lettered").isZero();
        }
    }

    /** Idempotency keys of the calls the receiver answered with 200, in arrival order. */
    private static List<String> delivered(WireMockServer server) {
        return server.getAllServeEvents().stream()
                .sorted((x, y) -> x.getRequest().getLoggedDate().compareTo(y.getRequest().getLoggedDate()))
                .filter(e -> e.getResponse().getStatus() == 200)
                .map(e -> e.getRequest().getHeader("Idempotency-Key")).collect(Collectors.toList());
    }

    @Test
    void shouldRepeatTheCallWithTheSameIdempotencyKeyWhenTheProcessDiesBeforeTheCommit() throws Exception {
        Topics topics = topics("notify-crash.");
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        send(topics, event("t-crash", TaskEventType.COMPLETED, 1));

        // first life: the webhook call succeeds, then the process "dies" before the offset commit
        Notifier first = start(topics, "g-crash", rule("ops")).beforeCommit(r -> {
            throw new IllegalStateException("simulated crash between the HTTP call and the commit");
        });
        first.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> first.failure().isPresent());
        assertThat(keysReceived()).containsExactly("t-crash-1");
        assertThat(committed("g-crash", topics.events())).isZero();

        // second life, same group: the event comes again, with the same key, and is committed this time
        start(topics, "g-crash", rule("ops")).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> keysReceived().size() == 2);
        assertThat(keysReceived()).containsExactly("t-crash-1", "t-crash-1");
        List<LoggedRequest> calls = receiver.findAll(postRequestedFor(urlEqualTo("/hook")));
        assertThat(calls.get(1).getBody()).isEqualTo(calls.get(0).getBody());
        await().atMost(Duration.ofSeconds(30)).until(() -> committed("g-crash", topics.events()) == 1);
    }

    @Test
    void shouldHoldTheEventAndThoseBehindItWhileTheDeadLetterTopicIsMissingThenGoOnWhenItIsBack() throws Exception {
        Topics topics = topics("notify-dlq-missing.");
        try (Admin admin = Admin.create(kafkaProps())) {
            admin.deleteTopics(List.of(topics.notifyDlq())).all().get();
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get()
                    .contains(topics.notifyDlq()));
        }
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        receiver.stubFor(post(urlEqualTo("/hook")).withHeader("Idempotency-Key", equalTo("m-1"))
                .willReturn(aResponse().withStatus(400)));
        send(topics, event("m", TaskEventType.STARTED, 1), event("m", TaskEventType.COMPLETED, 2));
        Map<String, Object> props = new java.util.HashMap<>(kafkaProps());
        // the dead-letter producer waits this long for the missing topic's metadata (60 s by default)
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        List<Duration> waits = java.util.Collections.synchronizedList(new ArrayList<>());
        Notifier notifier = new Notifier(new NotifyConfig("g-dlq-missing", List.of(rule("ops"))), props, SERDE, topics,
                new SimpleMeterRegistry(), java.time.Clock.systemUTC(), d -> {
                    waits.add(d);
                    Thread.sleep(100);
                });
        started.add(notifier);
        notifier.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> notifier.trouble().isPresent());
        assertThat(notifier.trouble().get()).contains("notify cannot write dead letters to " + topics.notifyDlq());
        await().atMost(Duration.ofSeconds(60)).until(() -> waits.size() >= 2);
        assertThat(keysReceived()).as("the next event of the task waits behind the one to dead-letter")
                .containsExactly("m-1");
        assertThat(notifier.failure()).isEmpty();

        new TopicAdmin(kafkaProps(), TopicAdmin.Settings.defaults().withPartitions(3, (short) 1)).createMissing(topics);
        await().atMost(Duration.ofSeconds(60)).until(() -> committed("g-dlq-missing", topics.events()) == 2);
        assertThat(keysReceived()).containsExactly("m-1", "m-2");
        assertThat(waits).as("1 s doubling").startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(notifier.trouble()).isEmpty();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "auto.offset.reset", "earliest", "group.id", "dlq-missing-reader"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topics.notifyDlq()));
            List<String> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(r -> dead.add(header(r, CloudEventHeaders.ID)));
                return !dead.isEmpty();
            });
            c.poll(Duration.ofMillis(500)).forEach(r -> dead.add(header(r, CloudEventHeaders.ID)));
            assertThat(dead).containsExactly("m-1");
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
