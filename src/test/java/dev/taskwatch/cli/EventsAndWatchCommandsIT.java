package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.devkit.embedded.EmbeddedDataDir;
import dev.taskwatch.devkit.embedded.EmbeddedSchemas;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.model.EventJson;
import dev.taskwatch.runtime.EventText;
import dev.taskwatch.runtime.TestEvents;
import dev.taskwatch.runtime.TopicAdmin;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.testing.KafkaTestBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code taskwatch events} and {@code taskwatch watch} run in-process against the in-process broker. */
class EventsAndWatchCommandsIT {

    private static KafkaTestBroker kafka;
    /** Data dir of a pretend `taskwatch run`: the commands find the in-process registry's journal there. */
    private static Path dataDir;
    private static InProcessSchemaRegistry registry;
    private static Map<String, Object> SERDE;

    @BeforeAll
    static void startBroker() throws IOException {
        kafka = KafkaTestBroker.start();
        dataDir = Files.createTempDirectory("events-watch-it-");
        registry = InProcessSchemaRegistry.persistent(dataDir.resolve(EmbeddedDataDir.SCHEMA_JOURNAL));
        // as `taskwatch run` does at its start: the journal exists before any test runs, whatever their order (a test
        // that only needs a registry, e.g. the unreachable-Kafka one, would otherwise find none and exit 2)
        EmbeddedSchemas.registerAll(registry, Topics.defaults());
        SERDE = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, registry);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static Topics createTopics(String prefix) {
        Topics topics = new Topics(prefix);
        EmbeddedSchemas.registerAll(registry, topics); // as `taskwatch run` does: commands then only read the journal
        new TopicAdmin(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                TopicAdmin.Settings.defaults().withPartitions(3, (short) 1)).createMissing(topics);
        return topics;
    }

    private CliRunner.Result taskwatch(Topics topics, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--data-dir", dataDir.toString(),
                "--topic-prefix", topics.prefix()));
        return CliRunner.withoutEnvironment().run(all.toArray(String[]::new));
    }

    @Test
    void shouldPrintCommittedEventsFromTheBeginningAndStopAtTheEnd() throws Exception {
        Topics topics = createTopics("events-jsonl.");
        TaskEvent failed = TestEvents.failed();
        TaskEvent running = TestEvents.started("taurusdb", "t-2", 30);
        TaskEvent aborted = TestEvents.started("dds", "t-aborted", 10);
        try (KafkaProducer<TaskKey, TaskEvent> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topics, aborted));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record(topics, failed));
            producer.send(record(topics, running));
            producer.commitTransaction();
        }

        CliRunner.Result jsonl = taskwatch(topics, "events", "--from-beginning", "--format", "jsonl");
        CliRunner.Result text = taskwatch(topics, "events", "--from-beginning");

        assertThat(jsonl.exitCode()).as(jsonl.err()).isEqualTo(ExitCodes.OK);
        assertThat(jsonl.out().lines()).containsExactlyInAnyOrder(EventJson.format(failed),
                EventJson.format(running));
        assertThat(text.exitCode()).as(text.err()).isEqualTo(ExitCodes.OK);
        assertThat(text.out().lines()).containsExactlyInAnyOrder(EventText.format(failed),
                EventText.format(running));
    }

    @Test
    void shouldPrintNothingAndStopWhenStartingAtTheEndWithoutFollow() throws Exception {
        Topics topics = createTopics("events-end.");
        try (KafkaProducer<TaskKey, TaskEvent> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topics, TestEvents.failed()));
            producer.commitTransaction();
        }

        CliRunner.Result result = taskwatch(topics, "events");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldFailWithExitOneWhenTheEventTopicDoesNotExist() {
        CliRunner.Result result = taskwatch(new Topics("no-such-prefix."), "events");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(result.err()).contains("Topic no-such-prefix.task-events does not exist at Kafka");
    }

    @Test
    void shouldPublishAWatchRequestAndItsTombstoneUnderTheSameKey() throws Exception {
        Topics topics = createTopics("watch.");

        CliRunner.Result watch = taskwatch(topics, "watch", "--service", "dds", "--region", "eu-de", "--project",
                "p1", "--task-id", "job-1", "--requested-by", "terraform", "--endpoint",
                "https://dds.internal.example:8443");
        CliRunner.Result release = taskwatch(topics, "watch", "--service", "dds", "--region", "eu-de", "--project",
                "p1", "--task-id", "job-1", "--release");

        assertThat(watch.exitCode()).as(watch.err()).isEqualTo(ExitCodes.OK);
        assertThat(watch.out()).startsWith("Watching dds/eu-de/p1/job-1 (watch.watch-requests partition ");
        assertThat(release.exitCode()).as(release.err()).isEqualTo(ExitCodes.OK);
        assertThat(release.out()).startsWith("Released watch on dds/eu-de/p1/job-1");

        List<ConsumerRecord<TaskKey, WatchRequest>> records = readAll(topics.watchRequests(), 2);
        TaskKey key = new TaskKey("dds", "eu-de", "p1", "job-1");
        assertThat(records).extracting(ConsumerRecord::key).containsExactly(key, key);
        WatchRequest request = records.get(0).value();
        assertThat(request.getService()).isEqualTo("dds");
        assertThat(request.getTaskId()).isEqualTo("job-1");
        assertThat(request.getRequestedBy()).isEqualTo("terraform");
        assertThat(request.getEndpoint()).isEqualTo("https://dds.internal.example:8443");
        assertThat(request.getRequestedAt()).isNotNull();
        assertThat(records.get(1).value()).isNull();
        assertThat(records.get(1).partition()).isEqualTo(records.get(0).partition());
    }

    @Test
    void shouldExitThreeNamingTheAddressWhenKafkaCannotBeReached() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + closedPort;
        CliRunner cli = CliRunner.withoutEnvironment();

        CliRunner.Result events = cli.run("events", "--bootstrap-servers", bootstrap, "--data-dir",
                dataDir.toString(), "-X", "default.api.timeout.ms=2000");
        CliRunner.Result watch = cli.run("watch", "--service", "dds", "--region", "eu-de", "--project", "p1",
                "--task-id", "job-1", "--bootstrap-servers", bootstrap, "--data-dir", dataDir.toString(),
                "-X", "max.block.ms=2000");

        assertThat(events.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(events.err().strip()).isEqualTo("Couldn't connect to Kafka at " + bootstrap + ".");
        assertThat(watch.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(watch.err().strip()).isEqualTo("Couldn't connect to Kafka at " + bootstrap + ".");
    }

    private static ProducerRecord<TaskKey, TaskEvent> record(Topics topics, TaskEvent e) {
        return new ProducerRecord<>(topics.events(), new TaskKey(e.getService(), e.getRegion(), e.getProjectId(),
                e.getTaskId()), e);
    }

    private static KafkaProducer<TaskKey, TaskEvent> transactionalProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID()),
                AvroSerdes.specific(TaskKey.class, SERDE, true).serializer(),
                AvroSerdes.specific(TaskEvent.class, SERDE, false).serializer());
    }

    private static List<ConsumerRecord<TaskKey, WatchRequest>> readAll(String topic, int expected) {
        try (KafkaConsumer<TaskKey, WatchRequest> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                AvroSerdes.specific(TaskKey.class, SERDE, true).deserializer(),
                AvroSerdes.specific(WatchRequest.class, SERDE, false).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<TaskKey, WatchRequest>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
