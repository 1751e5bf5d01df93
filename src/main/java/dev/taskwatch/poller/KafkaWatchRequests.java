package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.kafka.ConsumerLoop;
import dev.taskwatch.serde.AvroSerdes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Kafka side of the watch set: a thread reading the compacted watch-requests topic from the beginning (all
 * partitions assigned, no consumer group, nothing committed, so every start rebuilds the set) into a
 * {@link WatchSet}, and a producer for the tombstones that release ids.
 */
public final class KafkaWatchRequests implements WatchReleaser, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaWatchRequests.class);

    private final Consumer<TaskKey, WatchRequest> consumer;
    private final Producer<TaskKey, WatchRequest> producer;
    private final String topic;
    private final WatchSet watchSet;
    private final ConsumerLoop<TaskKey, WatchRequest> reader;

    /**
     * @param clientProperties bootstrap servers and passthrough properties, used for both consumer and producer
     * @param serdeConfig      {@code schema.registry.url} etc.
     */
    public KafkaWatchRequests(Map<String, Object> clientProperties, Map<String, ?> serdeConfig, String topic,
            WatchSet watchSet) {
        Map<String, Object> consumerConfig = new HashMap<>(clientProperties);
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "taskwatch-poller-watch");
        this.consumer = new KafkaConsumer<>(consumerConfig,
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).deserializer(),
                AvroSerdes.specific(WatchRequest.class, serdeConfig, false).deserializer());
        Map<String, Object> producerConfig = new HashMap<>(clientProperties);
        // not the consumer's id: the two clients' app-info metrics (and MBeans) would collide under one client id
        producerConfig.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-poller-watch-release");
        this.producer = new KafkaProducer<>(KafkaSnapshotSink.producerConfig(producerConfig),
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer(),
                AvroSerdes.specific(WatchRequest.class, serdeConfig, false).serializer());
        this.topic = topic;
        this.watchSet = watchSet;
        this.reader = ConsumerLoop.builder("taskwatch-poller-watch-requests", consumer)
                .position(c -> {
                    List<TopicPartition> assigned = c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    c.assign(assigned);
                    c.seekToBeginning(assigned);
                    LOG.info("Reading watch requests from {} ({} partitions)", topic, assigned.size());
                })
                .handler((records, c) -> {
                    for (ConsumerRecord<TaskKey, WatchRequest> r : records) {
                        if (watchSet.apply(r.key(), r.value())) {
                            LOG.debug("Watch request {} for {}", r.value() == null ? "released" : "added", r.key());
                        }
                    }
                    return true;
                })
                // one unreadable request must not stop the others from being watched
                .skipUnreadableRecords(e -> LOG.warn("Skipping unreadable watch request at {} offset {}: {}",
                        e.topicPartition(), e.offset(), e.getMessage()))
                .onCaughtUp(() -> LOG.info("Watch set rebuilt from {}: {} ids", topic, watchSet.size()))
                .reportFailure(e -> LOG.error("Reading watch requests from {} failed; watched ids are no longer "
                        + "updated", topic, e))
                .build();
    }

    /** Starts reading the topic from the beginning. */
    public void start() {
        reader.start();
    }

    /** Waits until the records present at start have been read (the set is rebuilt). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return reader.awaitCaughtUp(timeout);
    }

    /** The reader's consumer, for binding its client metrics. */
    public Consumer<?, ?> consumer() {
        return consumer;
    }

    /** The producer of watch releases (tombstones), for binding its client metrics. */
    public Producer<?, ?> producer() {
        return producer;
    }

    /** The error that stopped the reader, if any. */
    public Throwable failure() {
        return reader.failure().orElse(null);
    }

    @Override
    public void release(TaskKey key) throws SinkUnavailableException {
        try {
            producer.send(new ProducerRecord<>(topic, key, null)).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkUnavailableException("Interrupted releasing watch " + key, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new SinkUnavailableException("Could not release watch " + key + " on " + topic, e);
        }
    }

    @Override
    public void close() {
        reader.close();
        producer.close(Duration.ofSeconds(10));
    }
}
