package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.serde.AvroDeserializer;
import dev.taskwatch.serde.AvroSerializer;
import dev.taskwatch.testing.ApicurioRegistry;
import dev.taskwatch.transitions.TransitionSettings;
import dev.taskwatch.transitions.TransitionStreamsConfig;
import dev.taskwatch.transitions.TransitionTopology;
import dev.taskwatch.transitions.TransitionsApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-lake recipe of deploy/connect, run: snapshots through the real transitions topology on the broker of an
 * in-process Kafka Connect cluster, Apache Iceberg's sink connector reading {@code taskwatch.task-events} with
 * {@link TaskwatchAvroConverter} against a real Confluent-compatible registry (Apicurio's Confluent API) and writing a
 * filesystem (Hadoop) catalog in a temporary directory; the table, read back with Iceberg's Java API, holds exactly
 * one row per committed event, with typed columns.
 */
class IcebergDataLakeIT {

    private static final int TASKS = 12;
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Topics TOPICS = Topics.defaults();
    private static final TableIdentifier TABLE = TableIdentifier.of("taskwatch", "task_events");
    private static final String CONTROL_TOPIC = "taskwatch.iceberg-control";
    private static final Path RECIPE = Path.of("deploy/connect/iceberg-sink.json");

    private static ApicurioRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = ApicurioRegistry.start();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldLandExactlyOneTypedRowPerTaskEventInIcebergTable() throws Exception {
        long started = System.nanoTime();
        Map<String, Object> serde = Map.of("schema.registry.url", registry.ccompatUrl());
        EmbeddedConnectCluster connect = ConnectTestCluster.start("datalake", 1, Map.of());
        try {
            for (String topic : TOPICS.all()) {
                connect.kafka().createTopic(topic, 1);
            }
            connect.kafka().createTopic(CONTROL_TOPIC, 1);
            String bootstrap = connect.kafka().bootstrapServers();

            produceSnapshots(bootstrap, serde);
            TransitionSettings settings = TransitionSettings.defaults().withStateDir(dir.resolve("state"))
                    .withCommitInterval(Duration.ofMillis(200));
            try (TransitionsApp transitions = new TransitionsApp(TransitionStreamsConfig.properties(bootstrap,
                    settings, Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1)),
                    TransitionTopology.build(TOPICS, settings, serde, new SimpleMeterRegistry()))) {
                transitions.start();
                Map<String, TaskEvent> events = awaitEvents(connect, serde);

                String warehouse = dir.resolve("warehouse").toUri().toString();
                connect.configureConnector("iceberg-sink", sinkConfig(warehouse, bootstrap));
                connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("iceberg-sink", 1,
                        "the Iceberg sink to start");

                try (HadoopCatalog catalog = new HadoopCatalog(new Configuration(), warehouse)) {
                    await("every event in the table").atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> rows(catalog).size() >= events.size());
                    List<Record> rows = rows(catalog);
                    verify(catalog.loadTable(TABLE), rows, events);
                }
            }
        } finally {
            connect.stop();
        }
        System.err.printf("IcebergDataLakeIT: %d tasks through transitions and the Iceberg sink in %.1f s wall time"
                + " (Connect worker, broker, registry start included)%n", TASKS, (System.nanoTime() - started) / 1e9);
    }

    /** Each task: seen running, then ended (even tasks COMPLETED, odd ones FAILED), each observation read twice. */
    private static void produceSnapshots(String bootstrap, Map<String, Object> serde) {
        try (AvroSerializer<TaskKey> keys = new AvroSerializer<>(serde, true);
                AvroSerializer<TaskSnapshot> values = new AvroSerializer<>(serde, false);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < TASKS; i++) {
                TaskKey key = new TaskKey("dds", "eu-de", "p1", "task-" + i);
                TaskStatus end = i % 2 == 0 ? TaskStatus.COMPLETED : TaskStatus.FAILED;
                for (TaskSnapshot snapshot : List.of(snapshot(key, TaskStatus.RUNNING, 40, 10),
                        snapshot(key, TaskStatus.RUNNING, 40, 20), snapshot(key, end, 100, 30),
                        snapshot(key, end, 100, 40))) {
                    producer.send(new ProducerRecord<>(TOPICS.snapshots(), keys.serialize(TOPICS.snapshots(), key),
                            values.serialize(TOPICS.snapshots(), snapshot)));
                }
            }
            producer.flush();
        }
    }

    private static TaskSnapshot snapshot(TaskKey key, TaskStatus status, int progress, long seconds) {
        Instant observed = T0.plusSeconds(seconds);
        boolean ended = status != TaskStatus.RUNNING;
        return TaskSnapshot.newBuilder().setService(key.getService()).setRegion(key.getRegion())
                .setProjectId(key.getProjectId()).setTaskId(key.getTaskId()).setName("CreateInstance")
                .setStatus(status).setRawStatus(status.name()).setProgressPercent(progress).setCreatedAt(T0)
                .setEndedAt(ended ? T0.plusSeconds(25) : null).setInstanceId("i-" + key.getTaskId())
                .setInstanceName("db").setFailReason(status == TaskStatus.FAILED ? "disk full" : null)
                .setObservedAt(observed).setSource("https://dds.example/v3/p1/jobs").build();
    }

    /** The topology's committed output, by event id, once every task's terminal event is there. */
    private static Map<String, TaskEvent> awaitEvents(EmbeddedConnectCluster connect, Map<String, Object> serde) {
        Map<String, Object> readCommitted = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, TaskEvent> events = new HashMap<>();
        try (AvroDeserializer<TaskEvent> values = new AvroDeserializer<>(TaskEvent.class, serde, false)) {
            await("every task's terminal event").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        events.clear();
                        for (ConsumerRecord<byte[], byte[]> record : connect.kafka().consumeAll(10_000,
                                readCommitted, null, TOPICS.events())) {
                            TaskEvent event = values.deserialize(TOPICS.events(), record.value());
                            assertThat(events.put(event.getEventId(), event)).as("duplicate on the topic").isNull();
                        }
                        return events.values().stream().filter(e -> e.getType() == TaskEventType.COMPLETED
                                || e.getType() == TaskEventType.FAILED).count() == TASKS;
                    });
        }
        return events;
    }

    /**
     * The recipe's own connector config (deploy/connect/iceberg-sink.json), with only what differs in a test: one
     * task, the test's registry, a filesystem catalog in place of the REST catalog and object storage, a commit every
     * second rather than every minute, and the bootstrap servers of the sink's own clients.
     */
    private static Map<String, String> sinkConfig(String warehouse, String bootstrap) throws IOException {
        JsonNode recipe = new ObjectMapper().readTree(RECIPE.toFile()).get("config");
        Map<String, String> config = new HashMap<>();
        recipe.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        config.keySet().removeIf(key -> key.startsWith("iceberg.catalog."));
        config.put("tasks.max", "1");
        config.put("key.converter.schema.registry.url", registry.ccompatUrl());
        config.put("value.converter.schema.registry.url", registry.ccompatUrl());
        config.put("iceberg.catalog.type", "hadoop");
        config.put("iceberg.catalog.warehouse", warehouse);
        config.put("iceberg.control.commit.interval-ms", "1000");
        // The sink's own clients (control topic) take the worker's bootstrap from the worker's properties file named
        // on the java command line; an in-process worker has none, so it is given here.
        config.put("iceberg.kafka.bootstrap.servers", bootstrap);
        return config;
    }

    private static List<Record> rows(HadoopCatalog catalog) throws Exception {
        if (!catalog.tableExists(TABLE)) {
            return List.of();
        }
        Table table = catalog.loadTable(TABLE);
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
            read.forEach(rows::add);
        }
        return rows;
    }

    private static void verify(Table table, List<Record> rows, Map<String, TaskEvent> events) {
        assertThat(type(table, "occurred_at")).isEqualTo(Types.TimestampType.withZone());
        assertThat(type(table, "detected_at")).isEqualTo(Types.TimestampType.withZone());
        assertThat(type(table, "ended_at")).isEqualTo(Types.TimestampType.withZone());
        assertThat(type(table, "type")).isEqualTo(Types.StringType.get());
        assertThat(type(table, "status")).isEqualTo(Types.StringType.get());
        assertThat(type(table, "progress_percent")).isEqualTo(Types.IntegerType.get());
        assertThat(type(table, "duration_ms")).isEqualTo(Types.LongType.get());
        assertThat(type(table, "backfill")).isEqualTo(Types.BooleanType.get());

        Map<String, Record> byId = rows.stream().collect(Collectors.toMap(r -> (String) r.getField("event_id"),
                Function.identity(), (a, b) -> {
                    throw new AssertionError("two rows for event " + a.getField("event_id"));
                }));
        assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(events.keySet());
        for (TaskEvent event : events.values()) {
            Record row = byId.get(event.getEventId());
            assertThat(row.getField("type")).isEqualTo(event.getType().name());
            assertThat(row.getField("task_id")).isEqualTo(event.getTaskId());
            assertThat(row.getField("status")).isEqualTo(event.getStatus().name());
            assertThat(((OffsetDateTime) row.getField("occurred_at")).toInstant()).isEqualTo(event.getOccurredAt());
            assertThat(((OffsetDateTime) row.getField("detected_at")).toInstant()).isEqualTo(event.getDetectedAt());
        }
        assertThat(rows.stream().filter(r -> "COMPLETED".equals(r.getField("type")))).hasSize(TASKS / 2);
        assertThat(rows.stream().filter(r -> "FAILED".equals(r.getField("type")))
                .map(r -> r.getField("fail_reason"))).hasSize(TASKS / 2).containsOnly("disk full");
    }

    private static Type type(Table table, String column) {
        return table.schema().findField(column).type();
    }
}
