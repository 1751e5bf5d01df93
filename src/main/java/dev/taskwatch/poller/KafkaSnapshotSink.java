package dev.taskwatch.poller;

import dev.taskwatch.model.DeadLetterHeaders;
import dev.taskwatch.model.TaskKeys;
import dev.taskwatch.Causes;
import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.partition.TaskKeyPartitioner;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.serde.RegistryFault;
import dev.taskwatch.taskcenter.TaskReject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Publishes snapshots to the snapshot topic with an idempotent producer ({@code enable.idempotence=true},
 * {@code acks=all}): the producer itself retries transient send failures until {@code delivery.timeout.ms}.
 *
 * <p>What reaches us is sorted once, here: a schema registry fault (unreachable, or refusing with 401, 403 or an
 * incompatible schema: {@link RegistryFault}) and a Kafka error that is retriable by nature (a delivery timeout while
 * the brokers are unreachable, not enough in-sync replicas) are {@link SinkUnavailableException}s: the cycle fails,
 * nothing of it counts as published, the target's position does not move, and the cycle is repeated after the
 * target's backoff, or, when Kafka itself could not be reached, as soon as {@link #reachableAgain()} finds it back (the
 * poller's lanes pause meanwhile: {@link PublishPause}). Re-publishing is harmless: the transitions drop duplicate
 * snapshots. Anything else (not authorised, fenced, a record too large) is a {@link FatalSinkException} and stops
 * the poller.
 *
 * <p>{@link #trouble()} tells readiness that publishing is not working: a send waiting for acknowledgements for longer
 * than {@link #SLOW_ACK}, or the last publish failing.
 */
public final class KafkaSnapshotSink implements SnapshotSink {

    private final Producer<TaskKey, TaskSnapshot> producer;
    private final String topic;
    /** Made on the first dead letter: most runs never have one, and it needs no connection until then. */
    private final java.util.function.Supplier<Producer<byte[], byte[]>> dlqFactory;
    private Producer<byte[], byte[]> dlqProducer;
    private final String dlqTopic;
    /** A publish whose acknowledgements take longer than this makes the sink report trouble while it waits. */
    static final Duration SLOW_ACK = Duration.ofSeconds(10);
    /** Start of the publish waiting for acknowledgements (nanoTime), or 0. */
    private volatile long waitingSince;
    private volatile String lastFailure;
    /** The last publish failed for want of Kafka itself (see {@link SnapshotSink#kafkaUnreachable()}). */
    private volatile boolean kafkaUnreachable;
    /** Whether Kafka can take snapshots again, asked only while {@link #kafkaUnreachable}. */
    private final java.util.function.BooleanSupplier probe;

    /** Creates the producer of a sink from its final configuration (Kafka's constructor, or a test double). */
    @FunctionalInterface
    public interface ProducerFactory {
        Producer<TaskKey, TaskSnapshot> create(Map<String, Object> config, Serializer<TaskKey> keys,
                Serializer<TaskSnapshot> values);
    }

    /**
     * The production sink: a {@link KafkaProducer} configured by {@link #producerConfig}.
     *
     * @param producerProperties bootstrap servers and passthrough client properties; idempotence and acks are forced
     * @param serdeConfig        {@code schema.registry.url} etc. for {@link AvroSerdes}
     */
    public KafkaSnapshotSink(Map<String, Object> producerProperties, Map<String, ?> serdeConfig, Topics topics) {
        this(producerProperties, serdeConfig, topics, KafkaProducer::new);
    }

    /** As the production sink, with the producer made by {@code factory} from the very same configuration. */
    public KafkaSnapshotSink(Map<String, Object> producerProperties, Map<String, ?> serdeConfig, Topics topics,
            ProducerFactory factory) {
        this(factory.create(producerConfig(producerProperties),
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer(),
                AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false).serializer()), topics.snapshots(),
                () -> deadLetterProducer(producerProperties), topics.pollerDlq(),
                new SnapshotTopicProbe(producerProperties, topics.snapshots()));
    }

    /** For tests (MockProducer). */
    public KafkaSnapshotSink(Producer<TaskKey, TaskSnapshot> producer, String topic,
            Producer<byte[], byte[]> dlqProducer, String dlqTopic) {
        this(producer, topic, () -> dlqProducer, dlqTopic, () -> true);
    }

    private KafkaSnapshotSink(Producer<TaskKey, TaskSnapshot> producer, String topic,
            java.util.function.Supplier<Producer<byte[], byte[]>> dlqFactory, String dlqTopic,
            java.util.function.BooleanSupplier probe) {
        this.producer = producer;
        this.topic = topic;
        this.dlqFactory = dlqFactory;
        this.dlqTopic = dlqTopic;
        this.probe = probe;
    }

    /** Raw bytes: a dead letter is the task center's own text, which no schema describes. */
    public static Producer<byte[], byte[]> deadLetterProducer(Map<String, Object> producerProperties) {
        return new KafkaProducer<>(deadLetterConfig(producerProperties), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /**
     * The dead-letter producer's configuration: as {@link #producerConfig} (idempotent, {@code acks=all}) but with
     * Kafka's default partitioner. Its keys are the task id's raw bytes, which {@link TaskKeyPartitioner} cannot read
     * (it throws on anything but a {@code TaskKey}); the default partitioner hashes those bytes, so the dead letters
     * of one task stay in order on one partition. A partitioner from the passthrough properties is dropped for the
     * same reason.
     */
    static Map<String, Object> deadLetterConfig(Map<String, Object> producerProperties) {
        Map<String, Object> config = producerConfig(producerProperties);
        config.remove(ProducerConfig.PARTITIONER_CLASS_CONFIG);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, config.get(ProducerConfig.CLIENT_ID_CONFIG) + "-dlq");
        // A missing dead-letter topic shows as a metadata wait of max.block.ms on the credential's lane (60 s by
        // default): bounded shorter, so the lane's other targets wait less before the cycle is retried.
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DEAD_LETTER_MAX_BLOCK.toMillis());
        return config;
    }

    /** How long a dead letter waits for the topic's metadata before the cycle fails and is retried. */
    static final Duration DEAD_LETTER_MAX_BLOCK = Duration.ofSeconds(10);

    /** The producer, for binding its client metrics. */
    public Producer<TaskKey, TaskSnapshot> producer() {
        return producer;
    }

    /** The one home of the configuration of a producer that must neither duplicate nor lose a record. */
    static Map<String, Object> producerConfig(Map<String, Object> properties) {
        Map<String, Object> config = new HashMap<>(properties);
        // No duplicates from producer retries and nothing lost on a leader change.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // A task's partition from its identity, not from the key bytes with their schema id (TaskPartitions).
        config.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, TaskKeyPartitioner.class.getName());
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-poller");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        return config;
    }

    @Override
    public void publish(List<TaskSnapshot> snapshots) throws SinkUnavailableException {
        try {
            publish0(snapshots);
            lastFailure = null;
            kafkaUnreachable = false;
        } catch (SinkUnavailableException e) {
            lastFailure = e.getMessage();
            throw e;
        } finally {
            waitingSince = 0;
        }
    }

    private void publish0(List<TaskSnapshot> snapshots) throws SinkUnavailableException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(snapshots.size());
        try {
            for (TaskSnapshot s : snapshots) {
                TaskKey key = TaskKeys.of(s);
                sent.add(producer.send(new ProducerRecord<>(topic, key, s)));
            }
        } catch (SerializationException e) {
            RegistryFault fault = RegistryFault.of(e);
            if (fault.isRegistrys()) {
                throw new SinkUnavailableException("Schema registry " + (fault == RegistryFault.UNAVAILABLE
                        ? "unavailable" : "refuses") + " while publishing to " + topic + ": " + e.getMessage(), e);
            }
            throw new FatalSinkException("Cannot serialise snapshots for " + topic + ": " + e.getMessage(), e);
        } catch (RetriableException e) {
            kafkaUnreachable = true;
            throw new SinkUnavailableException("Kafka unavailable while publishing to " + topic + ": " + e, e);
        } catch (RuntimeException e) {
            throw new FatalSinkException("Kafka producer for " + topic + " failed: " + e, e);
        }
        waitingSince = System.nanoTime() | 1; // never 0 while waiting
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkUnavailableException("Interrupted while publishing to " + topic, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RetriableException) {
                    // e.g. the delivery timeout while every broker is down: repeat the cycle later, drop nothing
                    kafkaUnreachable = true;
                    throw new SinkUnavailableException("Kafka unavailable: publishing snapshots to " + topic
                            + " failed after the producer's retries (" + e.getCause() + ")", e.getCause());
                }
                throw new FatalSinkException("Publishing snapshots to " + topic + " failed after the producer's "
                        + "retries; stopping rather than dropping snapshots: " + e.getCause(), e.getCause());
            }
        }
    }

    /**
     * Why publishing is not working now, for readiness: a publish that has waited longer than {@link #SLOW_ACK} for
     * its acknowledgements (brokers unreachable, no leader), or the failure of the last publish until one succeeds.
     */
    public Optional<String> trouble() {
        long since = waitingSince;
        if (since != 0) {
            Duration waited = Duration.ofNanos(System.nanoTime() - since);
            if (waited.compareTo(SLOW_ACK) > 0) {
                return Optional.of("Kafka: publishing snapshots to " + topic + " has waited " + waited.toSeconds()
                        + " s for acknowledgements (brokers unreachable or the partition has no leader)");
            }
        }
        String failure = lastFailure;
        return failure == null ? Optional.empty() : Optional.of("poller cannot publish: " + failure);
    }

    @Override
    public boolean kafkaUnreachable() {
        return kafkaUnreachable;
    }

    @Override
    public boolean reachableAgain() {
        if (probe.getAsBoolean()) {
            kafkaUnreachable = false;
            return true;
        }
        return false;
    }

    @Override
    public void deadLetter(String target, String source, TaskReject reject) throws SinkUnavailableException {
        try {
            deadLetter0(target, source, reject);
        } catch (SinkUnavailableException e) {
            lastFailure = e.getMessage();
            throw e;
        }
    }

    private void deadLetter0(String target, String source, TaskReject reject) throws SinkUnavailableException {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(dlqTopic, null,
                reject.taskId() == null ? null : reject.taskId().getBytes(StandardCharsets.UTF_8),
                reject.excerpt().getBytes(StandardCharsets.UTF_8));
        record.headers().add(DeadLetterHeaders.REASON, reject.reason().getBytes(StandardCharsets.UTF_8))
                .add(DeadLetterHeaders.TARGET, target.getBytes(StandardCharsets.UTF_8))
                .add(DeadLetterHeaders.SOURCE, source.getBytes(StandardCharsets.UTF_8));
        try {
            synchronized (this) {
                if (dlqProducer == null) {
                    dlqProducer = dlqFactory.get();
                }
            }
            dlqProducer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkUnavailableException("Interrupted while dead-lettering to " + dlqTopic, e);
        } catch (ExecutionException e) {
            if (missingTopic(e.getCause())) {
                // Retried with the cycle's backoff and reported as the target's error: an operator can create the
                // topic without a restart, and the process does not exit into a crash loop meanwhile.
                throw new SinkUnavailableException("dead-letter topic " + dlqTopic + " does not exist or has no "
                        + "leader (create it, or set topics.create=true): " + e.getCause().getMessage(),
                        e.getCause());
            }
            if (e.getCause() instanceof RetriableException) {
                throw new SinkUnavailableException("Kafka unavailable: dead-lettering to " + dlqTopic + " failed "
                        + "after the producer's retries (" + e.getCause() + ")", e.getCause());
            }
            throw new FatalSinkException("Dead-lettering to " + dlqTopic + " failed after the producer's retries: "
                    + e.getCause(), e.getCause());
        } catch (RetriableException e) {
            throw new SinkUnavailableException("Kafka unavailable while dead-lettering to " + dlqTopic + ": " + e, e);
        } catch (RuntimeException e) {
            throw new FatalSinkException("Kafka producer for " + dlqTopic + " failed: " + e, e);
        }
    }

    /**
     * Whether a send failed because the topic is not there: the producer's metadata wait timed out (what a missing
     * topic looks like when the broker does not create topics) or the broker said the topic is unknown.
     */
    private static boolean missingTopic(Throwable cause) {
        return cause instanceof UnknownTopicOrPartitionException
                || (cause instanceof org.apache.kafka.common.errors.TimeoutException
                        && String.valueOf(cause.getMessage()).contains("not present in metadata"));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
        if (probe instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("Cannot close the Kafka probe of " + topic + ": " + e, e);
            }
        }
        synchronized (this) {
            if (dlqProducer != null) {
                dlqProducer.close(Duration.ofSeconds(30));
            }
        }
    }
}
