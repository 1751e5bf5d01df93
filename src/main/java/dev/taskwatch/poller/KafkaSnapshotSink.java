package dev.taskwatch.poller;

import dev.taskwatch.TaskKeys;
import dev.taskwatch.Causes;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.partition.TaskKeyPartitioner;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.serde.SchemaRegistryUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Publishes snapshots to the snapshot topic with an idempotent producer ({@code enable.idempotence=true},
 * {@code acks=all}): the producer itself retries transient send failures until {@code delivery.timeout.ms}, so an
 * error that reaches us is final and stops the poller. Only a schema registry that cannot be reached while
 * serialising is treated as transient.
 */
public final class KafkaSnapshotSink implements SnapshotSink {

    private final Producer<TaskKey, TaskSnapshot> producer;
    private final String topic;

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
    public KafkaSnapshotSink(Map<String, Object> producerProperties, Map<String, ?> serdeConfig, String topic) {
        this(producerProperties, serdeConfig, topic, KafkaProducer::new);
    }

    /** As the production sink, with the producer made by {@code factory} from the very same configuration. */
    public KafkaSnapshotSink(Map<String, Object> producerProperties, Map<String, ?> serdeConfig, String topic,
            ProducerFactory factory) {
        this(factory.create(producerConfig(producerProperties),
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer(),
                AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false).serializer()), topic);
    }

    /** For tests (MockProducer). */
    public KafkaSnapshotSink(Producer<TaskKey, TaskSnapshot> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

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
        List<Future<RecordMetadata>> sent = new ArrayList<>(snapshots.size());
        try {
            for (TaskSnapshot s : snapshots) {
                TaskKey key = TaskKeys.of(s);
                sent.add(producer.send(new ProducerRecord<>(topic, key, s)));
            }
        } catch (SerializationException e) {
            if (Causes.has(e, SchemaRegistryUnavailableException.class)) {
                throw new SinkUnavailableException("Schema registry unavailable while publishing to " + topic, e);
            }
            throw new FatalSinkException("Cannot serialise snapshots for " + topic + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new FatalSinkException("Kafka producer for " + topic + " failed: " + e, e);
        }
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkUnavailableException("Interrupted while publishing to " + topic, e);
            } catch (ExecutionException e) {
                throw new FatalSinkException("Publishing snapshots to " + topic + " failed after the producer's "
                        + "retries; stopping rather than dropping snapshots: " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
