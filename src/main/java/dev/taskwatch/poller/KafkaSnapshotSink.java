package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
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

/**
 * Publishes snapshots to the snapshot topic with an idempotent producer ({@code enable.idempotence=true},
 * {@code acks=all}): the producer itself retries transient send failures until {@code delivery.timeout.ms}, so an
 * error that reaches us is final and stops the poller. Only a schema registry that cannot be reached while
 * serialising is treated as transient.
 */
public final class KafkaSnapshotSink implements SnapshotSink {

    private final Producer<TaskKey, TaskSnapshot> producer;
    private final String topic;

    /**
     * @param producerProperties bootstrap servers and passthrough client properties; idempotence and acks are forced
     * @param serdeConfig        {@code schema.registry.url} etc. for {@link AvroSerdes}
     */
    public KafkaSnapshotSink(Map<String, Object> producerProperties, Map<String, ?> serdeConfig, String topic) {
        this(new KafkaProducer<>(producerConfig(producerProperties),
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer(),
                AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false).serializer()), topic);
    }

    /** For tests (MockProducer). */
    public KafkaSnapshotSink(Producer<TaskKey, TaskSnapshot> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    static Map<String, Object> producerConfig(Map<String, Object> properties) {
        Map<String, Object> config = new HashMap<>(properties);
        // No duplicates from producer retries and nothing lost on a leader change.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-poller");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        return config;
    }

    @Override
    public void publish(List<TaskSnapshot> snapshots) throws SinkUnavailableException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(snapshots.size());
        try {
            for (TaskSnapshot s : snapshots) {
                TaskKey key = new TaskKey(s.getService(), s.getRegion(), s.getProjectId(), s.getTaskId());
                sent.add(producer.send(new ProducerRecord<>(topic, key, s)));
            }
        } catch (SerializationException e) {
            if (hasCause(e, SchemaRegistryUnavailableException.class)) {
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

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
