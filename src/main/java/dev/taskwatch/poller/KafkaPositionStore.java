package dev.taskwatch.poller;

import dev.taskwatch.taskcenter.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone home of {@link TargetPosition}s: the compacted topic {@code <prefix>poller-positions}, key = target
 * name, value = the position's JSON (a tombstone forgets a target). Compaction keeps the latest position per target,
 * so reading the topic from the beginning at start ({@link #readAll()}, no consumer group, nothing committed) yields
 * every target's position. The poller stores a position only after the snapshots it covers were acknowledged, so it is
 * never ahead of the data.
 */
public final class KafkaPositionStore implements PositionSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPositionStore.class);

    private final Map<String, Object> clientProperties;
    private final Producer<String, String> producer;
    private final String topic;
    /** False when {@link #readAll} found no such topic: storing would block the lane on metadata for nothing. */
    private volatile boolean topicExists = true;

    /** @param clientProperties bootstrap servers and passthrough properties (security etc.) */
    public KafkaPositionStore(Map<String, Object> clientProperties, String topic) {
        this(clientProperties, new KafkaProducer<>(producerConfig(clientProperties), new StringSerializer(),
                new StringSerializer()), topic);
    }

    KafkaPositionStore(Map<String, Object> clientProperties, Producer<String, String> producer, String topic) {
        this.clientProperties = new HashMap<>(clientProperties);
        this.producer = producer;
        this.topic = topic;
    }

    static Map<String, Object> producerConfig(Map<String, Object> properties) {
        Map<String, Object> config = new HashMap<>(KafkaSnapshotSink.producerConfig(properties));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-poller-positions");
        // Keyed by target name, not by task: the snapshot producer's task-identity partitioner cannot read the key;
        // Kafka's default (murmur2 of the key bytes) keeps each target's positions on one partition for compaction.
        config.remove(ProducerConfig.PARTITIONER_CLASS_CONFIG);
        return config;
    }

    /**
     * Reads the latest position of every target from the topic. Unreadable values (another version, damaged) are
     * skipped with a warning: that target reads its history, which is always safe.
     */
    public Map<String, TargetPosition> readAll(Duration timeout) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "taskwatch-poller-positions-reader");
        Map<String, String> latest = new HashMap<>();
        try (Consumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                topicExists = false;
                LOG.warn("Topic {} does not exist: poller positions are not kept and every start reads each "
                        + "target's 30-day history; create it compacted (cleanup.policy=compact) or set "
                        + "topics.create=true", topic);
                return Map.of();
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            Instant deadline = Instant.now().plus(timeout);
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.getOrDefault(tp, 0L))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Could not read the poller positions of " + topic + " within "
                            + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        latest.put(r.key(), r.value());
                    }
                }
            }
        }
        Map<String, TargetPosition> positions = new HashMap<>();
        latest.forEach((target, json) -> {
            try {
                positions.put(target, TargetPosition.fromJson(json));
            } catch (IllegalArgumentException e) {
                LOG.warn("Ignoring the stored position of target {} in {}: {}; it reads its history", target, topic,
                        e.getMessage());
            }
        });
        LOG.info("Read {} poller positions from {}", positions.size(), topic);
        return positions;
    }

    @Override
    public void store(Target target, TargetPosition position) {
        if (!topicExists) {
            return;
        }
        // Not awaited: the snapshots it covers are acknowledged already, and a lost write only means a longer read
        // after a restart; the idempotent producer keeps the writes of one target in order.
        producer.send(new ProducerRecord<>(topic, target.name(), position.toJson()), (metadata, e) -> {
            if (e != null) {
                LOG.warn("Could not store the position of target {} in {}: {}", target.name(), topic, e.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
