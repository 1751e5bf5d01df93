package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.serde.AvroSerdes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
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
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread reader;
    private volatile boolean running = true;
    private volatile Exception failure;

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
        producerConfig.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-poller-watch");
        this.producer = new KafkaProducer<>(KafkaSnapshotSink.producerConfig(producerConfig),
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer(),
                AvroSerdes.specific(WatchRequest.class, serdeConfig, false).serializer());
        this.topic = topic;
        this.watchSet = watchSet;
        this.reader = new Thread(this::run, "taskwatch-poller-watch-requests");
        this.reader.setDaemon(true);
    }

    /** Starts reading the topic from the beginning. */
    public void start() {
        reader.start();
    }

    /** Waits until the records present at start have been read (the set is rebuilt). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60));
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            LOG.info("Reading watch requests from {} ({} partitions)", topic, assigned.size());
            while (running) {
                ConsumerRecords<TaskKey, WatchRequest> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (RecordDeserializationException e) {
                    // one unreadable request must not stop the others from being watched
                    LOG.warn("Skipping unreadable watch request at {} offset {}: {}", e.topicPartition(),
                            e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<TaskKey, WatchRequest> r : records) {
                    if (watchSet.apply(r.key(), r.value())) {
                        LOG.debug("Watch request {} for {}", r.value() == null ? "released" : "added", r.key());
                    }
                }
                if (caughtUp.getCount() > 0
                        && assigned.stream().allMatch(tp -> consumer.position(tp) >= end.getOrDefault(tp, 0L))) {
                    LOG.info("Watch set rebuilt from {}: {} ids", topic, watchSet.size());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (Exception e) {
            failure = e;
            LOG.error("Reading watch requests from {} failed; watched ids are no longer updated", topic, e);
        } finally {
            consumer.close();
        }
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
    public Exception failure() {
        return failure;
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
        running = false;
        if (!reader.isAlive()) {
            if (reader.getState() == Thread.State.NEW) {
                consumer.close();
            }
            producer.close(Duration.ofSeconds(10));
            return;
        }
        consumer.wakeup();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
