package dev.taskwatch.transitions;

import static dev.taskwatch.transitions.Snapshots.CREATED;
import static dev.taskwatch.transitions.Snapshots.key;
import static dev.taskwatch.transitions.Snapshots.of;
import static dev.taskwatch.transitions.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.model.DeadLetterHeaders;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskState;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.serde.SchemaRegistryUnavailableException;
import dev.taskwatch.serde.UnknownSchemaIdException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology end to end through the real serdes, one in-process registry per test. */
class TransitionTopologyTest {

    private static final Instant WALL_CLOCK = Instant.parse("2026-11-22T12:00:00Z");
    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    Path stateDir;

    private final Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, new InProcessSchemaRegistry());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<TaskKey, TaskSnapshot> snapshots;
    private TestInputTopic<byte[], byte[]> rawSnapshots;
    private TestOutputTopic<TaskKey, TaskEvent> events;
    private TestOutputTopic<byte[], byte[]> dlq;
    private KeyValueStore<TaskKey, TaskState> store;

    @BeforeEach
    void start() {
        start(TransitionSettings.defaults());
    }

    private void start(TransitionSettings settings) {
        if (driver != null) {
            driver.close();
        }
        Properties props = TransitionStreamsConfig.properties("unused:9092", settings.withStateDir(stateDir),
                Map.of());
        driver = new TopologyTestDriver(TransitionTopology.build(TOPICS, settings, serdeConfig, meters), props,
                WALL_CLOCK);
        Serde<TaskKey> keys = AvroSerdes.specific(TaskKey.class, serdeConfig, true);
        Serde<TaskSnapshot> values = AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false);
        Serde<TaskEvent> eventValues = AvroSerdes.specific(TaskEvent.class, serdeConfig, false);
        snapshots = driver.createInputTopic(TOPICS.snapshots(), keys.serializer(), values.serializer());
        rawSnapshots = driver.createInputTopic(TOPICS.snapshots(), new ByteArraySerializer(),
                new ByteArraySerializer());
        events = driver.createOutputTopic(TOPICS.events(), keys.deserializer(), eventValues.deserializer());
        dlq = driver.createOutputTopic(TOPICS.snapshotsDlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        store = driver.getKeyValueStore(TransitionTopology.STORE);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void pipe(TaskSnapshot... list) {
        for (TaskSnapshot s : list) {
            snapshots.pipeInput(TransitionRules.keyOf(s), s);
        }
    }

    private List<TaskEvent> eventsOf(TaskEventType type) {
        Serde<TaskKey> keys = AvroSerdes.specific(TaskKey.class, serdeConfig, true);
        Serde<TaskEvent> values = AvroSerdes.specific(TaskEvent.class, serdeConfig, false);
        return driver.createOutputTopic(TOPICS.eventsOf(type), keys.deserializer(), values.deserializer())
                .readValuesToList();
    }

    private double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldEmitStartedProgressedAndCompletedOnceForAPolledTask() {
        pipe(snap("t", TaskStatus.PENDING, null, 5), snap("t", TaskStatus.PENDING, null, 8),
                snap("t", TaskStatus.RUNNING, 10, 10), snap("t", TaskStatus.RUNNING, 10, 20),
                snap("t", TaskStatus.RUNNING, 50, 30), snap("t", TaskStatus.RUNNING, 40, 40),
                snap("t", TaskStatus.RUNNING, 50, 50),
                of("t", TaskStatus.COMPLETED, 100, 60).setEndedAt(CREATED.plusSeconds(59)).build(),
                of("t", TaskStatus.COMPLETED, 100, 70).setEndedAt(CREATED.plusSeconds(59)).build(),
                snap("t", TaskStatus.RUNNING, 90, 80));

        List<TestRecord<TaskKey, TaskEvent>> all = events.readRecordsToList();
        assertThat(all).extracting(r -> r.value().getType()).containsExactly(TaskEventType.STARTED,
                TaskEventType.PROGRESSED, TaskEventType.COMPLETED);
        assertThat(all).extracting(TestRecord::key).containsOnly(key("t"));
        assertThat(all.get(1).value().getProgressPercent()).isEqualTo(50);
        assertThat(all.get(2).value().getDurationMs()).isEqualTo(59_000L);
        assertThat(all.get(2).value().getBackfill()).isFalse();

        assertThat(eventsOf(TaskEventType.STARTED)).containsExactly(all.get(0).value());
        assertThat(eventsOf(TaskEventType.PROGRESSED)).containsExactly(all.get(1).value());
        assertThat(eventsOf(TaskEventType.COMPLETED)).containsExactly(all.get(2).value());
        assertThat(eventsOf(TaskEventType.FAILED)).isEmpty();
        assertThat(eventsOf(TaskEventType.CANCELED)).isEmpty();

        assertThat(counter("taskwatch.transitions.snapshots.in")).isEqualTo(10);
        assertThat(counter("taskwatch.transitions.duplicates.dropped")).isEqualTo(4);
        assertThat(counter("taskwatch.transitions.outcomes", "outcome", "lower_progress")).isEqualTo(1);
        assertThat(counter("taskwatch.transitions.outcomes", "outcome", "after_terminal")).isEqualTo(1);
        assertThat(counter("taskwatch.transitions.events", "type", "started")).isEqualTo(1);
        assertThat(counter("taskwatch.transitions.events", "type", "progressed")).isEqualTo(1);
        assertThat(counter("taskwatch.transitions.events", "type", "completed")).isEqualTo(1);
        // Sampled on the stream thread every 30 s; RocksDB estimates from its memtable, where overwrites count until
        // compaction: approximate by nature.
        assertThat(meters.find("taskwatch.transitions.store.size").gauge().value()).isZero();
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(meters.find("taskwatch.transitions.store.size").gauge().value()).isBetween(1.0, 10.0);
        assertThat(store.get(key("t")).getStatus()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void shouldWriteCloudEventsHeadersOnTheAllEventsAndPerTypeTopics() {
        pipe(of("t-42", TaskStatus.FAILED, 30, 90).setEndedAt(Instant.parse("2026-11-22T10:01:00.250Z")).build());
        TestRecord<TaskKey, TaskEvent> record = events.readRecord();
        Headers h = record.headers();
        assertThat(header(h, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(h, "ce_id")).isEqualTo(record.value().getEventId())
                .isEqualTo(TransitionRules.eventId(key("t-42"), TaskEventType.FAILED, 30));
        assertThat(header(h, "ce_source")).isEqualTo("/otc/eu-de/dds/p1");
        assertThat(header(h, "ce_type")).isEqualTo("dev.taskwatch.task.failed");
        assertThat(header(h, "ce_time")).isEqualTo("2026-11-22T10:01:00.250Z");
        assertThat(header(h, "ce_subject")).isEqualTo("t-42");
        assertThat(header(h, "content-type")).isEqualTo(CloudEventHeaders.CONFLUENT_AVRO);
        assertThat(record.value().getFailReason()).isEqualTo("disk full");

        Serde<TaskKey> keys = AvroSerdes.specific(TaskKey.class, serdeConfig, true);
        Serde<TaskEvent> values = AvroSerdes.specific(TaskEvent.class, serdeConfig, false);
        TestRecord<TaskKey, TaskEvent> perType = driver.createOutputTopic(TOPICS.eventsOf(TaskEventType.FAILED),
                keys.deserializer(), values.deserializer()).readRecord();
        assertThat(perType.value()).isEqualTo(record.value());
        assertThat(perType.headers().toArray()).isEqualTo(h.toArray());
    }

    @Test
    void shouldMarkAFirstSeenLongEndedTaskAsBackfillAndEmitOnlyItsTerminalEvent() {
        pipe(of("old", TaskStatus.COMPLETED, 100, 86_400).setEndedAt(CREATED.plusSeconds(600)).build());
        List<TaskEvent> all = events.readValuesToList();
        assertThat(all).extracting(TaskEvent::getType).containsExactly(TaskEventType.COMPLETED);
        assertThat(all.get(0).getBackfill()).isTrue();
        assertThat(all.get(0).getOccurredAt()).isEqualTo(CREATED.plusSeconds(600));
    }

    @Test
    void shouldDropStaleSnapshotsAndCountTerminalConflicts() {
        pipe(snap("t", TaskStatus.RUNNING, 20, 100), snap("t", TaskStatus.COMPLETED, 100, 90),
                snap("t", TaskStatus.CANCELED, null, 200), snap("t", TaskStatus.FAILED, null, 300),
                snap("t", TaskStatus.FAILED, null, 400));
        assertThat(events.readValuesToList()).extracting(TaskEvent::getType)
                .containsExactly(TaskEventType.STARTED, TaskEventType.CANCELED);
        assertThat(counter("taskwatch.transitions.stale.dropped")).isEqualTo(1);
        assertThat(counter("taskwatch.transitions.terminal.conflicts")).isEqualTo(1);
        assertThat(store.get(key("t")).getTerminalConflicts()).isEqualTo(1);
    }

    @Test
    void shouldNotWriteTheStoreOrItsChangelogForDuplicates() {
        TestOutputTopic<byte[], byte[]> changelog = driver.createOutputTopic(
                TransitionSettings.DEFAULT_APPLICATION_ID + "-" + TransitionTopology.STORE + "-changelog",
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        pipe(snap("t", TaskStatus.RUNNING, 20, 10));
        assertThat(changelog.readRecordsToList()).hasSize(1);
        for (int i = 1; i <= 50; i++) {
            pipe(snap("t", TaskStatus.RUNNING, 20, 10 + i * 5));
        }
        assertThat(changelog.readRecordsToList()).as("duplicates write nothing").isEmpty();
        assertThat(events.readValuesToList()).hasSize(1);

        driver.advanceWallClockTime(TransitionSettings.defaults().lastSeenRefreshInterval());
        pipe(snap("t", TaskStatus.RUNNING, 20, 1000));
        List<TestRecord<byte[], byte[]>> refreshed = changelog.readRecordsToList();
        assertThat(refreshed).as("one last-seen refresh when due").hasSize(1);
        assertThat(StoreSerdes.taskState().deserializer().deserialize("x", refreshed.get(0).value()).getLastSeenAt())
                .isEqualTo(WALL_CLOCK.plus(TransitionSettings.defaults().lastSeenRefreshInterval()));
        pipe(snap("t", TaskStatus.RUNNING, 20, 1005));
        assertThat(changelog.readRecordsToList()).isEmpty();
    }

    @Test
    void shouldNotEmitProgressedWhenProgressEventsAreOff() {
        start(TransitionSettings.defaults().withProgressEvents(false));
        pipe(snap("t", TaskStatus.RUNNING, 10, 10), snap("t", TaskStatus.RUNNING, 60, 20),
                snap("t", TaskStatus.COMPLETED, 100, 30));
        assertThat(events.readValuesToList()).extracting(TaskEvent::getType)
                .containsExactly(TaskEventType.STARTED, TaskEventType.COMPLETED);
        assertThat(store.get(key("t")).getMaxProgressPercent()).isEqualTo(100);
    }

    @Test
    void shouldDeleteStatesUnseenForTheRetentionAndKeepTasksThatAreStillSeen() {
        pipe(snap("done", TaskStatus.COMPLETED, 100, 60), snap("stuck", TaskStatus.RUNNING, 10, 60),
                snap("alive", TaskStatus.RUNNING, 10, 60));
        Duration retention = TransitionSettings.DEFAULT_STATE_RETENTION;
        Duration refresh = TransitionSettings.defaults().lastSeenRefreshInterval();
        // "alive" keeps being polled (duplicates only); its last-seen time is refreshed every retention/10.
        Duration step = Duration.ofDays(1);
        for (Duration elapsed = Duration.ZERO; elapsed.compareTo(retention) < 0; elapsed = elapsed.plus(step)) {
            driver.advanceWallClockTime(step);
            pipe(snap("alive", TaskStatus.RUNNING, 10, 60 + elapsed.toSeconds()));
        }
        assertThat(store.get(key("done"))).as("kept for the whole retention").isNotNull();
        assertThat(store.get(key("stuck"))).isNotNull();

        driver.advanceWallClockTime(refresh.plusHours(1));
        assertThat(store.get(key("done"))).as("terminal state unseen for longer than the retention").isNull();
        assertThat(store.get(key("stuck"))).as("non-terminal state unseen for as long").isNull();
        assertThat(store.get(key("alive"))).as("still polled").isNotNull();

        // What the retention protects against: once forgotten, a re-read task fires again (hence > 30 days).
        pipe(snap("done", TaskStatus.COMPLETED, 100, 60));
        assertThat(events.readValuesToList()).filteredOn(e -> e.getTaskId().equals("done"))
                .extracting(TaskEvent::getType).containsExactly(TaskEventType.COMPLETED, TaskEventType.COMPLETED);
    }

    @Test
    void shouldSendGarbageToTheDeadLetterTopicAndKeepGoing() {
        rawSnapshots.pipeInput("k".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
        pipe(snap("t", TaskStatus.RUNNING, 10, 10));

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.value()).isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
        assertThat(dead.key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        Headers h = dead.headers();
        assertThat(header(h, DeadLetterHeaders.REASON)).isEqualTo(DeadLetterHeaders.REASON_DESERIALIZATION);
        assertThat(header(h, DeadLetterHeaders.TOPIC)).isEqualTo(TOPICS.snapshots());
        assertThat(header(h, DeadLetterHeaders.PARTITION)).isEqualTo("0");
        assertThat(header(h, DeadLetterHeaders.OFFSET)).isEqualTo("0");
        assertThat(header(h, DeadLetterHeaders.ERROR_CLASS))
                .isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(header(h, DeadLetterHeaders.ERROR_MESSAGE))
                .contains("too short for the Schema Registry wire format");
        assertThat(events.readValuesToList()).extracting(TaskEvent::getType).containsExactly(TaskEventType.STARTED);
        assertThat(counter("taskwatch.transitions.dlq")).isEqualTo(1);
    }

    @Test
    void shouldSendARecordWithAnUnknownSchemaIdToTheDeadLetterTopicAndKeepGoing() {
        byte[] key = AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer()
                .serialize(TOPICS.snapshots(), key("t"));
        byte[] unknownId = {0, 0, 0, 0x7f, 0x7f, 2, 'x'};
        rawSnapshots.pipeInput(key, unknownId);
        pipe(snap("t", TaskStatus.RUNNING, 10, 10));

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.value()).isEqualTo(unknownId);
        assertThat(header(dead.headers(), DeadLetterHeaders.ERROR_CLASS))
                .isEqualTo(UnknownSchemaIdException.class.getName());
        assertThat(header(dead.headers(), DeadLetterHeaders.ERROR_MESSAGE)).contains("32639");
        assertThat(events.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldSendSnapshotsWithoutUsableKeysToTheDeadLetterTopic() {
        TaskSnapshot noTaskId = of("", TaskStatus.RUNNING, 10, 10).setRegion(" ").build();
        snapshots.pipeInput(key(""), noTaskId);
        TaskSnapshot other = snap("t", TaskStatus.RUNNING, 10, 10);
        snapshots.pipeInput(key("someone-else"), other);
        snapshots.pipeInput((TaskKey) null, other);
        snapshots.pipeInput(key("t"), null);

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.REASON))
                .containsOnly(DeadLetterHeaders.REASON_INVALID_SNAPSHOT);
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.ERROR_CLASS))
                .containsOnly(InvalidSnapshotException.class.getName());
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.ERROR_MESSAGE)).satisfiesExactly(
                m -> assertThat(m).contains("[region, task_id]"),
                m -> assertThat(m).contains("different task"),
                m -> assertThat(m).contains("no key"),
                m -> assertThat(m).contains("tombstone"));
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.OFFSET))
                .containsExactly("0", "1", "2", "3");
        assertThat(events.readValuesToList()).isEmpty();
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void shouldFailInsteadOfDeadLetteringWhenTheRegistryIsUnreachable() {
        byte[] key = AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer()
                .serialize(TOPICS.snapshots(), key("t"));
        byte[] value = AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false).serializer()
                .serialize(TOPICS.snapshots(), snap("t", TaskStatus.RUNNING, 10, 10));
        driver.close();
        Map<String, Object> unreachable = Map.of("schema.registry.url", "http://127.0.0.1:1",
                "schema.registry.max.retries", 0, "schema.registry.request.timeout.ms", 1000);
        Properties props = TransitionStreamsConfig.properties("unused:9092",
                TransitionSettings.defaults().withStateDir(stateDir), Map.of());
        driver = new TopologyTestDriver(TransitionTopology.build(TOPICS, TransitionSettings.defaults(), unreachable,
                meters), props, WALL_CLOCK);
        TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(TOPICS.snapshots(), new ByteArraySerializer(),
                new ByteArraySerializer());
        assertThatThrownBy(() -> raw.pipeInput(key, value))
                .hasStackTraceContaining(SchemaRegistryUnavailableException.class.getSimpleName());
        assertThat(counter("taskwatch.transitions.dlq")).isZero();
    }

    @Test
    void shouldFailInsteadOfDeadLetteringWhenTheRegistryRefusesTaskwatch() {
        byte[] key = AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer()
                .serialize(TOPICS.snapshots(), key("t"));
        byte[] value = AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false).serializer()
                .serialize(TOPICS.snapshots(), snap("t", TaskStatus.RUNNING, 10, 10));
        driver.close();
        dev.taskwatch.serde.SchemaRegistryClient refusing = new dev.taskwatch.serde.SchemaRegistryClient() {
            @Override public org.apache.avro.Schema getById(int id) {
                throw new dev.taskwatch.serde.SchemaRegistryRefusedException("Cannot fetch schema id " + id
                        + ": HTTP 401, check the registry credentials", 401);
            }
            @Override public int register(String s, org.apache.avro.Schema schema) {
                throw new UnsupportedOperationException();
            }
            @Override public java.util.Optional<dev.taskwatch.serde.RegisteredSchema> lookup(String s,
                    org.apache.avro.Schema schema) {
                throw new UnsupportedOperationException();
            }
            @Override public dev.taskwatch.serde.RegisteredSchema latest(String s) {
                throw new UnsupportedOperationException();
            }
            @Override public dev.taskwatch.serde.CompatibilityResult testCompatibility(String s,
                    org.apache.avro.Schema schema) {
                throw new UnsupportedOperationException();
            }
            @Override public String getCompatibility(String s) {
                throw new UnsupportedOperationException();
            }
            @Override public void setCompatibility(String s, String level) {
                throw new UnsupportedOperationException();
            }
        };
        Properties props = TransitionStreamsConfig.properties("unused:9092",
                TransitionSettings.defaults().withStateDir(stateDir), Map.of());
        driver = new TopologyTestDriver(TransitionTopology.build(TOPICS, TransitionSettings.defaults(),
                Map.of(dev.taskwatch.serde.AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, refusing), meters), props,
                WALL_CLOCK);
        TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(TOPICS.snapshots(), new ByteArraySerializer(),
                new ByteArraySerializer());
        assertThatThrownBy(() -> raw.pipeInput(key, value)).hasStackTraceContaining("HTTP 401");
        assertThat(counter("taskwatch.transitions.dlq")).as("a good snapshot is not dead-lettered").isZero();
    }

    @Test
    void shouldNameEveryNodeAndKeepTheStoreOnTheProcessor() {
        String description = TransitionTopology.build(TOPICS, TransitionSettings.defaults(), serdeConfig,
                new SimpleMeterRegistry()).describe().toString();
        assertThat(description).contains("Source: snapshots-source (topics: [taskwatch.task-snapshots])")
                .contains("Processor: transitions (stores: [task-state])")
                .contains("Sink: events-sink (topic: taskwatch.task-events)")
                .contains("Sink: events-completed-sink (topic: taskwatch.task-events.completed)")
                .contains("Sink: dlq-sink (topic: taskwatch.task-snapshots.dlq)")
                .doesNotContain("KSTREAM-");
    }
}
