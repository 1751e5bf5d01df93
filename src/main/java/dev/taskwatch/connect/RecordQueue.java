package dev.taskwatch.connect;

import dev.taskwatch.model.TaskKeys;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.partition.TaskPartitions;
import dev.taskwatch.model.DeadLetterHeaders;
import dev.taskwatch.poller.PositionSink;
import dev.taskwatch.poller.SinkUnavailableException;
import dev.taskwatch.poller.SnapshotSink;
import dev.taskwatch.poller.TargetPosition;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TaskReject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The poller's sinks in a source task: snapshots and positions become ready-to-send {@link SourceRecord}s in one
 * bounded queue that {@code poll()} drains.
 *
 * <ul>
 *   <li>A snapshot record: key and value already in the Confluent wire format (taskwatch's serde, so the worker runs
 *       {@code ByteArrayConverter}), the partition of {@link TaskPartitions} (the standalone poller's partitioning,
 *       which the transitions topology relies on), source partition {@code {target: name}} and, as source offset,
 *       the target's latest position handed over <em>before</em> this snapshot: Connect commits an offset only once
 *       the record carrying it (and every earlier one of its source partition) is acknowledged, so a stored position
 *       is never ahead of the data.</li>
 *   <li>A position record per stored position on {@code <prefix>poller-positions} (key target name, value the
 *       position's JSON, the standalone store's format): it carries the new position as its source offset, so an
 *       idle target's position is committed although it produced no snapshot, and a restart of the connector resumes
 *       there instead of re-reading 30 days.</li>
 * </ul>
 * A target without a position yet carries {@link #NO_POSITION} (never {@code null}: a null offset is a tombstone that
 * would delete a stored one), which reads back as "no position".
 *
 * <p>The queue is bounded: when {@code poll()} falls behind, the poller's lanes wait in {@link #publish}, which is the
 * back-pressure; once {@link #stop()} was called they give up with a {@link SinkUnavailableException} so that the
 * poller's threads end.
 */
final class RecordQueue implements SnapshotSink, PositionSink {

    static final Map<String, Object> NO_POSITION = Map.of("v", TargetPosition.VERSION);

    private final BlockingQueue<SourceRecord> queue;
    private final Map<String, Map<String, Object>> offsets = new ConcurrentHashMap<>();
    private final String snapshotTopic;
    private final int snapshotPartitions;
    private final String positionTopic;
    private final String deadLetterTopic;
    private final Serializer<TaskKey> keys;
    private final Serializer<TaskSnapshot> values;
    private volatile boolean stopped;

    RecordQueue(int capacity, String snapshotTopic, int snapshotPartitions, String positionTopic,
            String deadLetterTopic, Serializer<TaskKey> keys, Serializer<TaskSnapshot> values, Map<String, TargetPosition> stored) {
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.snapshotTopic = snapshotTopic;
        this.snapshotPartitions = snapshotPartitions;
        this.positionTopic = positionTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.keys = keys;
        this.values = values;
        stored.forEach((name, position) -> offsets.put(name, position.toSourceOffset()));
    }

    /** A stored position read after the start (a target discovery added): later records carry it as their offset. */
    void remember(String target, TargetPosition position) {
        offsets.putIfAbsent(target, position.toSourceOffset());
    }

    static Map<String, String> sourcePartition(String target) {
        return Map.of("target", target);
    }

    @Override
    public void publish(List<TaskSnapshot> snapshots) {
        throw new UnsupportedOperationException("the poller publishes per target");
    }

    @Override
    public void publish(Target target, List<TaskSnapshot> snapshots) throws SinkUnavailableException {
        Map<String, Object> offset = offsets.getOrDefault(target.name(), NO_POSITION);
        List<SourceRecord> records = new ArrayList<>(snapshots.size());
        for (TaskSnapshot s : snapshots) {
            TaskKey key = TaskKeys.of(s);
            byte[] k;
            byte[] v;
            try {
                k = keys.serialize(snapshotTopic, key);
                v = values.serialize(snapshotTopic, s);
            } catch (RuntimeException e) {
                // registry unreachable or similar: the cycle is retried, nothing was queued for it
                throw new SinkUnavailableException("Cannot serialize snapshots of " + target.name() + ": "
                        + e.getMessage(), e);
            }
            records.add(new SourceRecord(sourcePartition(target.name()), offset, snapshotTopic,
                    TaskPartitions.partition(key, snapshotPartitions), Schema.BYTES_SCHEMA, k,
                    Schema.BYTES_SCHEMA, v));
        }
        for (SourceRecord r : records) {
            put(r, target);
        }
    }

    /** A task element that could not be read: raw excerpt to {@code <prefix>poller.dlq}, as the standalone sink. */
    @Override
    public void deadLetter(String target, String source, TaskReject reject) throws SinkUnavailableException {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addBytes(DeadLetterHeaders.REASON, reject.reason().getBytes(StandardCharsets.UTF_8));
        headers.addBytes(DeadLetterHeaders.TARGET, target.getBytes(StandardCharsets.UTF_8));
        headers.addBytes(DeadLetterHeaders.SOURCE, source.getBytes(StandardCharsets.UTF_8));
        put(new SourceRecord(sourcePartition(target), offsets.getOrDefault(target, NO_POSITION), deadLetterTopic,
                null, Schema.OPTIONAL_BYTES_SCHEMA,
                reject.taskId() == null ? null : reject.taskId().getBytes(StandardCharsets.UTF_8),
                Schema.BYTES_SCHEMA, reject.excerpt().getBytes(StandardCharsets.UTF_8), null, headers), target);
    }

    @Override
    public void store(Target target, TargetPosition position) throws SinkUnavailableException {
        Map<String, Object> offset = position.toSourceOffset();
        put(new SourceRecord(sourcePartition(target.name()), offset, positionTopic, null, Schema.BYTES_SCHEMA,
                target.name().getBytes(StandardCharsets.UTF_8), Schema.BYTES_SCHEMA,
                position.toJson().getBytes(StandardCharsets.UTF_8)), target);
        offsets.put(target.name(), offset);
    }

    private void put(SourceRecord record, Target target) throws SinkUnavailableException {
        put(record, target.name());
    }

    private void put(SourceRecord record, String target) throws SinkUnavailableException {
        try {
            while (!queue.offer(record, 200, TimeUnit.MILLISECONDS)) {
                if (stopped) {
                    throw new SinkUnavailableException("Task stopping: records of " + target
                            + " not queued", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkUnavailableException("Interrupted queueing records of " + target, e);
        }
    }

    /** Waits up to {@code waitMillis} for a record, then takes every record queued (at most {@code max}). */
    List<SourceRecord> drain(long waitMillis, int max) throws InterruptedException {
        SourceRecord first = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<SourceRecord> out = new ArrayList<>();
        out.add(first);
        queue.drainTo(out, max - 1);
        return out;
    }

    /** Lets lanes blocked on a full queue give up. */
    void stop() {
        stopped = true;
    }

    @Override
    public void close() {
        stop();
        keys.close();
        values.close();
    }
}
