package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskwatch.model.Topics;
import dev.taskwatch.devkit.embedded.EmbeddedDataDir;
import dev.taskwatch.devkit.embedded.EmbeddedSchemas;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.serde.AvroSerdeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.runtime.TopicAdmin;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.testing.KafkaTestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code taskwatch wait} in-process against the in-process broker, with events written as the topology writes them. */
class WaitCommandIT {

    private static KafkaTestBroker kafka;
    /** Data dir of a pretend `taskwatch run`: wait finds the in-process registry's journal there. */
    private static Path dataDir;
    private static InProcessSchemaRegistry registry;
    private static Map<String, Object> SERDE;

    @BeforeAll
    static void startBroker() throws IOException {
        kafka = KafkaTestBroker.start();
        dataDir = Files.createTempDirectory("wait-it-");
        registry = InProcessSchemaRegistry.persistent(dataDir.resolve(EmbeddedDataDir.SCHEMA_JOURNAL));
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

    private static CliRunner.Result waitFor(Topics topics, String service, String taskId, String... extra) {
        List<String> all = new ArrayList<>(List.of("wait", "--service", service, "--region", "eu-de", "--project",
                "p1", "--task-id", taskId, "--bootstrap-servers", kafka.bootstrapServers(), "--data-dir",
                dataDir.toString(), "--topic-prefix", topics.prefix()));
        all.addAll(List.of(extra));
        return CliRunner.withoutEnvironment().run(all.toArray(String[]::new));
    }

    private static TaskEvent event(String taskId, TaskEventType type, TaskStatus status, String failReason) {
        return TaskEvent.newBuilder().setEventId(taskId + "-" + type).setType(type).setService("dds")
                .setRegion("eu-de").setProjectId("p1").setTaskId(taskId).setName("CreateInstance").setStatus(status)
                .setFailReason(failReason).setOccurredAt(Instant.parse("2026-12-01T10:00:00Z"))
                .setDetectedAt(Instant.parse("2026-12-01T10:00:01Z")).build();
    }

    private static void send(Topics topics, TaskEvent... events) throws Exception {
        try (KafkaProducer<TaskKey, TaskEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), // by task identity, as the transitions topology writes events
                "partitioner.class", dev.taskwatch.partition.TaskKeyPartitioner.class.getName()),
                AvroSerdes.specific(TaskKey.class, SERDE, true).serializer(),
                AvroSerdes.specific(TaskEvent.class, SERDE, false).serializer())) {
            for (TaskEvent e : events) {
                producer.send(new ProducerRecord<>(topics.events(), new TaskKey(e.getService(), e.getRegion(),
                        e.getProjectId(), e.getTaskId()), e)).get();
            }
        }
    }

    @Test
    void shouldPrintTheEventsOfARunningTaskAndExitZeroWhenItCompletes() throws Exception {
        Topics topics = createTopics("wait-ok.");
        send(topics, event("other", TaskEventType.COMPLETED, TaskStatus.COMPLETED, null),
                event("t1", TaskEventType.STARTED, TaskStatus.RUNNING, null));
        CompletableFuture<CliRunner.Result> waiting = CompletableFuture.supplyAsync(() -> waitFor(topics, "dds", "t1",
                "--format", "jsonl"));
        Thread.sleep(1_000); // wait is reading by now: the terminal event arrives while it waits
        assertThat(waiting).isNotDone();
        send(topics, event("t1", TaskEventType.COMPLETED, TaskStatus.COMPLETED, null));

        CliRunner.Result result = waiting.get(2, java.util.concurrent.TimeUnit.MINUTES); // never hang the build
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        assertThat(result.out().lines().toList()).hasSize(2).allMatch(l -> l.contains("\"task_id\":\"t1\""));
        assertThat(result.out()).contains("\"type\":\"STARTED\"").contains("\"type\":\"COMPLETED\"");
    }

    @Test
    void shouldExitOneWithTheFailReasonOnStderrWhenTheTaskFails() throws Exception {
        Topics topics = createTopics("wait-fail.");
        CompletableFuture<CliRunner.Result> waiting = CompletableFuture.supplyAsync(() -> waitFor(topics, "dds", "t2"));
        send(topics, event("t2", TaskEventType.STARTED, TaskStatus.RUNNING, null),
                event("t2", TaskEventType.FAILED, TaskStatus.FAILED, "disk full"));

        CliRunner.Result result = waiting.get(2, java.util.concurrent.TimeUnit.MINUTES); // never hang the build
        assertThat(result.exitCode()).isEqualTo(ExitCodes.TASK_FAILED);
        assertThat(result.err()).contains("Task t2 FAILED: disk full");
        assertThat(result.out().lines().count()).isEqualTo(2);
    }

    @Test
    void shouldAnswerAtOnceForATaskThatEndedBeforeWaitStarted() throws Exception {
        Topics topics = createTopics("wait-ended.");
        send(topics, event("t3", TaskEventType.CANCELED, TaskStatus.CANCELED, null));

        CliRunner.Result result = waitFor(topics, "dds", "t3", "--timeout", "5m");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TASK_FAILED);
        assertThat(result.err()).contains("Task t3 CANCELED");
    }

    @Test
    void shouldExit124WhenTheTaskDoesNotEndWithinTheTimeout() throws Exception {
        Topics topics = createTopics("wait-timeout.");
        send(topics, event("t4", TaskEventType.STARTED, TaskStatus.RUNNING, null));

        CliRunner.Result result = waitFor(topics, "dds", "t4", "--timeout", "2s");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(result.err()).contains("Timed out after 2s waiting for task dds/eu-de/p1/t4");
        assertThat(result.out()).contains("t4");
    }

    @Test
    void shouldFileAWatchRequestForATaurusDbTask() throws Exception {
        Topics topics = createTopics("wait-taurus.");

        CliRunner.Result result = waitFor(topics, "taurusdb", "job-9", "--timeout", "1s");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(result.err()).contains("Filed a watch request for taurusdb/eu-de/p1/job-9");
        List<ConsumerRecord<TaskKey, WatchRequest>> records = new ArrayList<>();
        try (KafkaConsumer<TaskKey, WatchRequest> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "auto.offset.reset", "earliest", "group.id", "wait-taurus-reader"),
                AvroSerdes.specific(TaskKey.class, SERDE, true).deserializer(),
                AvroSerdes.specific(WatchRequest.class, SERDE, false).deserializer())) {
            c.subscribe(List.of(topics.watchRequests()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
        }
        assertThat(records.get(0).key()).isEqualTo(new TaskKey("taurusdb", "eu-de", "p1", "job-9"));
        assertThat(records.get(0).value().getRequestedBy()).isEqualTo("taskwatch wait");
    }
}
