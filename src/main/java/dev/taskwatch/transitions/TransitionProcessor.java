package dev.taskwatch.transitions;

import dev.taskwatch.model.DeadLetterHeaders;
import dev.taskwatch.Causes;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskState;
import dev.taskwatch.serde.RegistryFault;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link TransitionRules} to each snapshot record against the {@code task-state} store and forwards the
 * resulting events to the event sinks, bad records to the dead letter sink.
 *
 * <p>The store holds one {@link TaskState} per {@link TaskKey}: the last accepted snapshot's meaningful content, the
 * maximum progress, whether STARTED was emitted, and the wall-clock time the task was last seen (for retention). A
 * duplicate, the common case, costs one store read and no write and no output.
 *
 * <p>Input is read as bytes and deserialized here, so that a record that cannot be read (garbage bytes, unknown schema
 * id) or that is not a usable snapshot (missing key fields, no key, key and value naming different tasks) goes to the
 * dead letter topic with {@link DeadLetterHeaders}, inside the same transaction as everything else, and processing
 * continues. A registry that is unreachable or refuses (401, 403) is not the record's fault: that error propagates to
 * {@link TransitionsApp}, whose stream thread waits for the registry and is replaced, instead of dead-lettering good
 * data.
 *
 * <p>Retention: a wall-clock punctuator deletes every state whose {@code last_seen_at} is older than state-retention
 * plus the last-seen refresh interval (the stored value may lag the real last sighting by up to that interval), so a
 * state goes once its task was unseen for at least state-retention. Terminal states are covered by the same test:
 * their {@code last_seen_at} is at least the time they became terminal.
 */
final class TransitionProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(TransitionProcessor.class);

    private final TransitionRules rules;
    private final TransitionSettings settings;
    private final String snapshotsTopic;
    private final Deserializer<TaskKey> keyDeserializer;
    private final Deserializer<TaskSnapshot> valueDeserializer;
    private final TransitionMetrics metrics;
    private final Map<TaskEventType, String> typeSinks;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<TaskKey, TaskState> store;

    TransitionProcessor(TransitionSettings settings, String snapshotsTopic, Deserializer<TaskKey> keyDeserializer,
            Deserializer<TaskSnapshot> valueDeserializer, TransitionMetrics metrics,
            Map<TaskEventType, String> typeSinks) {
        this.rules = TransitionRules.of(settings);
        this.settings = settings;
        this.snapshotsTopic = snapshotsTopic;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.metrics = metrics;
        this.typeSinks = typeSinks;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(TransitionTopology.STORE);
        metrics.storeSize(this, store);
        context.schedule(settings.retentionScanInterval(), PunctuationType.WALL_CLOCK_TIME, this::expire);
        context.schedule(TransitionMetrics.STORE_SIZE_SAMPLE_INTERVAL, PunctuationType.WALL_CLOCK_TIME,
                now -> metrics.storeSize(this, store));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.snapshotIn();
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(snapshotsTopic);
        TaskKey key;
        TaskSnapshot snapshot;
        try {
            key = record.key() == null ? null : keyDeserializer.deserialize(topic, record.headers(), record.key());
            snapshot = record.value() == null ? null
                    : valueDeserializer.deserialize(topic, record.headers(), record.value());
        } catch (RuntimeException e) {
            if (registryUnavailable(e)) {
                throw e;
            }
            deadLetter(record, DeadLetterHeaders.REASON_DESERIALIZATION, e);
            return;
        }
        String problem = problemWith(key, snapshot);
        if (problem != null) {
            deadLetter(record, DeadLetterHeaders.REASON_INVALID_SNAPSHOT, new InvalidSnapshotException(problem));
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Transition transition = rules.apply(store.get(key), snapshot, now);
        metrics.outcome(transition.outcome());
        if (transition.outcome() == Outcome.TERMINAL_CONFLICT) {
            log.warn("Task {} reported terminal status {} after {} was stored; counted, not emitted",
                    describe(key), snapshot.getStatus(), transition.newState().getStatus());
        }
        transition.stateToStore().ifPresent(state -> store.put(key, state));
        for (TaskEvent event : transition.events()) {
            Headers headers = CloudEventHeaders.of(event);
            Record<Object, Object> out = new Record<>(key, event, record.timestamp(), headers);
            context.forward(out, TransitionTopology.EVENTS_SINK);
            String typeSink = typeSinks.get(event.getType());
            if (typeSink == null) {
                throw new IllegalStateException("No topic for events of type " + event.getType());
            }
            context.forward(out.withHeaders(CloudEventHeaders.of(event)), typeSink);
            metrics.emitted(event.getType());
            log.debug("Task {}: {} (event {})", describe(key), event.getType(), event.getEventId());
        }
    }

    /** A registry fault is not the record's: the replacement thread reads it fine once the registry answers. */
    private static boolean registryUnavailable(Throwable e) {
        return RegistryFault.of(e).isRegistrys();
    }

    /** Why the record is not a usable snapshot, or null when it is. */
    static String problemWith(TaskKey key, TaskSnapshot snapshot) {
        if (snapshot == null) {
            return "the record has no value (a tombstone is not a snapshot)";
        }
        // Every record passes here, duplicates included: allocate only when something is actually missing.
        boolean noService = isBlank(snapshot.getService());
        boolean noRegion = isBlank(snapshot.getRegion());
        boolean noProject = isBlank(snapshot.getProjectId());
        boolean noTask = isBlank(snapshot.getTaskId());
        if (noService || noRegion || noProject || noTask) {
            List<String> missing = new ArrayList<>(); // in alphabetical order
            if (noProject) {
                missing.add("project_id");
            }
            if (noRegion) {
                missing.add("region");
            }
            if (noService) {
                missing.add("service");
            }
            if (noTask) {
                missing.add("task_id");
            }
            return "the snapshot lacks its key fields " + missing;
        }
        if (snapshot.getStatus() == null || snapshot.getObservedAt() == null) {
            return "the snapshot lacks status or observed_at";
        }
        if (key == null) {
            return "the record has no key (snapshots are keyed by TaskKey so that each task stays on one partition)";
        }
        if (!key.equals(TransitionRules.keyOf(snapshot))) {
            return "the record key " + describe(key) + " names a different task than the snapshot "
                    + describe(TransitionRules.keyOf(snapshot));
        }
        return null;
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, Exception error) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        RecordMetadata where = context.recordMetadata().orElse(null);
        String topic = where == null ? snapshotsTopic : where.topic();
        String partition = where == null ? "" : Integer.toString(where.partition());
        String offset = where == null ? "" : Long.toString(where.offset());
        String message = String.valueOf(error.getMessage());
        put(headers, DeadLetterHeaders.REASON, reason);
        put(headers, DeadLetterHeaders.TOPIC, topic);
        put(headers, DeadLetterHeaders.PARTITION, partition);
        put(headers, DeadLetterHeaders.OFFSET, offset);
        put(headers, DeadLetterHeaders.ERROR_CLASS, error.getClass().getName());
        put(headers, DeadLetterHeaders.ERROR_MESSAGE, message);
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
                TransitionTopology.DLQ_SINK);
        metrics.deadLettered();
        log.warn("Snapshot record {}-{}@{} sent to the dead letter topic ({}): {}: {}", topic, partition, offset,
                reason, error.getClass().getSimpleName(), message);
    }

    private void expire(long wallClockMs) {
        Duration keep = settings.stateRetention().plus(settings.lastSeenRefreshInterval());
        Instant cutoff = Instant.ofEpochMilli(wallClockMs).minus(keep);
        List<TaskKey> expired = new ArrayList<>();
        try (KeyValueIterator<TaskKey, TaskState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<TaskKey, TaskState> entry = all.next();
                if (entry.value.getLastSeenAt().isBefore(cutoff)) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
        metrics.storeSize(this, store);
        if (!expired.isEmpty()) {
            log.info("Retention: deleted {} task states unseen since before {}", expired.size(), cutoff);
        }
    }

    @Override
    public void close() {
        metrics.storeClosed(this);
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    static String describe(TaskKey key) {
        return key.getService() + "/" + key.getRegion() + "/" + key.getProjectId() + "/" + key.getTaskId();
    }
}
