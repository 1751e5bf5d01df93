package dev.taskwatch.transitions;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration of the transitions application, as a plain function. */
public final class TransitionStreamsConfig {

    /**
     * How long the restore consumer lets the broker hold a fetch that finds nothing: the {@code poll.ms} the state
     * updater polls it with (Kafka's default, 100 ms), instead of the consumer default of 500 ms.
     */
    static final int RESTORE_FETCH_MAX_WAIT_MS = 100;

    /**
     * {@code segment.bytes} of the store's changelog (Streams' {@code topic.} prefix: every internal topic it creates).
     * The log cleaner compacts closed segments only, and the broker default of 1 GiB holds about nine million store
     * writes of ~120 bytes, so a changelog under that size is never compacted: a restore after {@code kill -9} reads
     * every write since the first start, several per task, instead of about one per tracked task. 64 MiB keeps the
     * part the cleaner cannot touch at about 550,000 writes per partition and stays above the smallest segment size
     * managed Kafka services accept (50 MiB on some).
     */
    static final int CHANGELOG_SEGMENT_BYTES = 64 * 1024 * 1024;

    private TransitionStreamsConfig() {}

    /**
     * Streams properties for {@code settings}.
     *
     * @param bootstrapServers {@code kafka.bootstrap-servers}
     * @param settings         the {@code transitions:} settings
     * @param passthrough      {@code kafka.properties}: client and Streams settings applied last (security,
     *                         timeouts, tuning); {@code application.id} and {@code processing.guarantee} are rejected
     *                         there because {@code transitions.application-id} and {@code
     *                         transitions.processing-guarantee} own them
     */
    public static Properties properties(String bootstrapServers, TransitionSettings settings,
            Map<String, ?> passthrough) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap-servers must not be empty");
        }
        for (String owned : new String[] {StreamsConfig.APPLICATION_ID_CONFIG,
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG}) {
            if (passthrough != null && passthrough.containsKey(owned)) {
                throw new IllegalArgumentException("kafka.properties." + owned + " is not allowed: set transitions."
                        + (owned.equals(StreamsConfig.APPLICATION_ID_CONFIG) ? "application-id"
                                : "processing-guarantee") + " instead");
            }
        }
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Consumer group, transactional ids and internal topic names derive from it; default taskwatch-transitions.
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        // Store updates, emitted events, DLQ records and input offsets commit in one transaction: after a crash a
        // snapshot is either fully applied or not at all, so no event is lost or emitted twice.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, settings.processingGuarantee());
        // We have no global stores, so this changes nothing today; it opts into the Kafka 5.0 default now, which
        // also stops Streams from warning about it at every start.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Streams' partition assignor reads its settings from the main consumer's config, which carries only consumer
        // keys and main-consumer-prefixed ones; without this copy the assignor's config warns once more at start.
        p.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        if (settings.stateDir() != null) {
            // RocksDB lives here; a stable directory makes restarts restore from local state, not the changelog.
            p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        }
        if (settings.commitInterval() != null) {
            // Under exactly-once this bounds the latency until events are visible to read_committed consumers.
            p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        }
        if (settings.groupInstanceId() != null) {
            // Static membership (StaticMembership): a restarted instance gets its partitions back without a
            // rebalance. Streams appends "-<thread index>" per stream thread, so the threads stay distinct members.
            p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                    settings.groupInstanceId());
        }
        Duration sessionTimeout = settings.effectiveSessionTimeout();
        if (sessionTimeout != null) {
            // How long the group waits for a member that stopped heart-beating (see DEFAULT_STATIC_SESSION_TIMEOUT).
            p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                    (int) sessionTimeout.toMillis());
        }
        // A broker answers a connection's requests in order. With the consumer default of 500 ms, the restore
        // consumer's fetch for the changelogs already restoring parks at the broker while it has nothing to return, and
        // the end-offset and position look-ups of the next restoring tasks wait behind it: up to 500 ms per batch of
        // tasks at every start, even with empty changelogs (docs/benchmarks.md, section 1). Restoration itself does not
        // wait for it: a fetch returns as soon as there are records.
        p.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), RESTORE_FETCH_MAX_WAIT_MS);
        // Fifteen RocksDB threads started and joined per store open, flush and compaction buy nothing for stores of a
        // few files; kafka.properties.rocksdb.config.setter replaces this.
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SingleThreadedFileOpening.class);
        // Applied when Streams creates the changelog; an existing changelog keeps its configuration
        // (docs/operations.md, "Restart after a crash with many tracked tasks", says how to change it).
        p.put(StreamsConfig.topicPrefix(TopicConfig.SEGMENT_BYTES_CONFIG), CHANGELOG_SEGMENT_BYTES);
        if (passthrough != null) {
            passthrough.forEach((k, v) -> p.put(k, v));
        }
        return p;
    }
}
