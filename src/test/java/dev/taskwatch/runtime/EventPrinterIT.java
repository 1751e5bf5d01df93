package dev.taskwatch.runtime;

import dev.taskwatch.model.EventJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.testing.KafkaTestBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import dev.taskwatch.serde.CompatibilityResult;
import dev.taskwatch.serde.RegisteredSchema;
import dev.taskwatch.serde.SchemaRegistryClient;
import dev.taskwatch.serde.SchemaRegistryUnavailableException;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventPrinterIT {

    private static KafkaTestBroker kafka;
    private static final Map<String, Object> SERDE = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, new InProcessSchemaRegistry());

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static Map<String, Object> kafkaProps() {
        return Map.of("bootstrap.servers", kafka.bootstrapServers());
    }

    private static Topics topics(String prefix) {
        Topics topics = new Topics(prefix);
        new TopicAdmin(kafkaProps(), TopicAdmin.Settings.defaults().withPartitions(2, (short) 1))
                .createMissing(topics);
        return topics;
    }

    @Test
    void shouldFollowFromTheEndAndStopWhenClosed() throws Exception {
        Topics topics = topics("printer-end.");
        send(topics, TestEvents.started("dds", "before-start", 5));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventPrinter printer = EventPrinter.builder(kafkaProps(), SERDE, topics.events())
                .format(EventFormat.JSONL).out(new PrintStream(out, true, StandardCharsets.UTF_8)).fromEnd().build();
        try (printer) {
            printer.start();
            assertThat(printer.awaitPositioned(Duration.ofSeconds(30))).isTrue();
            TaskEvent after = TestEvents.started("dds", "after-start", 50);
            send(topics, after);
            await("the event written after start is printed").atMost(Duration.ofSeconds(30))
                    .until(() -> printer.printed() == 1);
            printer.close();

            assertThat(printer.awaitFinished(Duration.ofSeconds(1))).isTrue();
            assertThat(printer.failure()).isEmpty();
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo(EventJson.format(after) + System.lineSeparator());
        }
    }

    @Test
    void shouldResumeFromCommittedOffsetsWithoutPrintingAnythingTwice() throws Exception {
        Topics topics = topics("printer-group.");
        String group = "printer-" + UUID.randomUUID();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        try (EventPrinter printer = printer(topics, group, first).start()) {
            assertThat(printer.awaitPositioned(Duration.ofSeconds(30))).isTrue();
            send(topics, TestEvents.started("dds", "one", 10));
            send(topics, TestEvents.started("dds", "two", 20));
            await("two events printed").atMost(Duration.ofSeconds(30)).until(() -> printer.printed() == 2);
        }

        TaskEvent third = TestEvents.started("dds", "three", 30);
        send(topics, third);
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        try (EventPrinter resumed = printer(topics, group, second).start()) {
            await("the event written while stopped is printed").atMost(Duration.ofSeconds(30))
                    .until(() -> resumed.printed() == 1);
        }

        assertThat(first.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
        assertThat(second.toString(StandardCharsets.UTF_8).lines()).containsExactly(EventText.format(third));
    }

    @Test
    void shouldStopAtTheCommittedEndSeenAtStartWithoutWaitingForOpenTransactionsOrLaterEvents() throws Exception {
        Topics topics = topics("printer-stop-at-end.");
        TaskEvent first = TestEvents.started("dds", "first", 10);
        TaskEvent second = TestEvents.started("dds", "second", 20);
        send(topics, first);
        send(topics, second);
        TaskEvent later = TestEvents.started("dds", "written-while-printing", 30);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger lines = new AtomicInteger();
        // the first printed line writes one more event: a printer that followed the moving end would print it too
        PrintStream writesWhilePrinting = new PrintStream(out, true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                super.println(line);
                if (lines.incrementAndGet() == 1) {
                    try {
                        send(topics, later);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        try (KafkaProducer<TaskKey, TaskEvent> open = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "printer-open-" + UUID.randomUUID()),
                AvroSerdes.specific(TaskKey.class, SERDE, true).serializer(),
                AvroSerdes.specific(TaskEvent.class, SERDE, false).serializer())) {
            // a transaction that stays open while the printer runs (a running transitions app always has one)
            open.initTransactions();
            open.beginTransaction();
            TaskEvent uncommitted = TestEvents.started("dds", "uncommitted", 40);
            open.send(new ProducerRecord<>(topics.events(), new TaskKey(uncommitted.getService(),
                    uncommitted.getRegion(), uncommitted.getProjectId(), uncommitted.getTaskId()), uncommitted)).get();

            EventPrinter printer = EventPrinter.builder(kafkaProps(), SERDE, topics.events()).format(EventFormat.JSONL)
                    .out(writesWhilePrinting).fromBeginning().stopAtEnd(true).build();
            printer.start();

            assertThat(printer.awaitFinished(Duration.ofSeconds(60))).as("stops by itself").isTrue();
            assertThat(printer.failure()).isEmpty();
            assertThat(out.toString(StandardCharsets.UTF_8).lines())
                    .containsExactlyInAnyOrder(EventJson.format(first), EventJson.format(second));
            open.abortTransaction();
        }
    }

    @Test
    void shouldStopNamingTheRecordItCannotDecodeInsteadOfSkippingIt() throws Exception {
        Topics topics = topics("printer-undecodable.");
        send(topics, TestEvents.started("dds", "good", 10));
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topics.events(), 0, "k".getBytes(StandardCharsets.UTF_8),
                    "not an avro event".getBytes(StandardCharsets.UTF_8))).get();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventPrinter printer = EventPrinter.builder(kafkaProps(), SERDE, topics.events())
                .out(new PrintStream(out, true, StandardCharsets.UTF_8)).fromBeginning().stopAtEnd(true).build();

        assertThatThrownBy(printer::run).isInstanceOf(UndecodableEventException.class)
                .hasMessageStartingWith("Cannot decode the event at " + topics.events() + "-0 offset ");
        assertThat(printer.printed()).as("the good event before it").isEqualTo(1);
    }

    @Test
    void shouldWaitForAnUnavailableRegistryInsteadOfDroppingEvents() throws Exception {
        Topics topics = topics("printer-registry-down.");
        TaskEvent event = TestEvents.started("dds", "waited-for", 10);
        send(topics, event);
        AtomicInteger outages = new AtomicInteger(2);
        SchemaRegistryClient flaky = new ForwardingRegistry((InProcessSchemaRegistry) SERDE.get(
                AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT)) {
            @Override
            public Schema getById(int id) {
                if (outages.getAndDecrement() > 0) {
                    throw new SchemaRegistryUnavailableException("registry down (test)", null);
                }
                return super.getById(id);
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventPrinter printer = EventPrinter.builder(kafkaProps(), Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT,
                flaky), topics.events()).format(EventFormat.JSONL)
                .out(new PrintStream(out, true, StandardCharsets.UTF_8)).fromBeginning().stopAtEnd(true).build();

        printer.run();

        assertThat(outages.get()).as("both outages were sat out").isNegative();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(EventJson.format(event) + System.lineSeparator());
    }

    /** A registry client that forwards everything; tests override what should misbehave. */
    private static class ForwardingRegistry implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;

        ForwardingRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            return delegate.register(subject, schema);
        }

        @Override
        public Schema getById(int id) {
            return delegate.getById(id);
        }

        @Override
        public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
            return delegate.lookup(subject, schema);
        }

        @Override
        public RegisteredSchema latest(String subject) {
            return delegate.latest(subject);
        }

        @Override
        public CompatibilityResult testCompatibility(String subject, Schema schema) {
            return delegate.testCompatibility(subject, schema);
        }

        @Override
        public String getCompatibility(String subject) {
            return delegate.getCompatibility(subject);
        }

        @Override
        public void setCompatibility(String subject, String level) {
            delegate.setCompatibility(subject, level);
        }
    }

    private static EventPrinter printer(Topics topics, String group, ByteArrayOutputStream out) {
        return EventPrinter.builder(kafkaProps(), SERDE, topics.events())
                .out(new PrintStream(out, true, StandardCharsets.UTF_8)).fromCommitted(group).build();
    }

    private static void send(Topics topics, TaskEvent e) throws Exception {
        try (KafkaProducer<TaskKey, TaskEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                AvroSerdes.specific(TaskKey.class, SERDE, true).serializer(),
                AvroSerdes.specific(TaskEvent.class, SERDE, false).serializer())) {
            producer.send(new ProducerRecord<>(topics.events(), new TaskKey(e.getService(), e.getRegion(),
                    e.getProjectId(), e.getTaskId()), e)).get();
        }
    }
}
