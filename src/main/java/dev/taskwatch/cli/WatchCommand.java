package dev.taskwatch.cli;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.partition.TaskKeyPartitioner;
import dev.taskwatch.runtime.KafkaUnavailableException;
import dev.taskwatch.serde.AvroSerdes;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taskwatch watch}: asks the poller to poll one task by id until it is terminal, by publishing a {@link
 * WatchRequest} to the compacted watch-request topic; {@code --release} publishes the tombstone that withdraws it.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Publishes a watch request for one task (or, with --release, withdraws it).")
public final class WatchCommand extends TaskCommand {

    @Option(names = "--requested-by", paramLabel = "X",
            description = "Who asks, e.g. the automation that created the task (env TASKWATCH_REQUESTED_BY).")
    String requestedBy;

    @Option(names = "--endpoint", paramLabel = "URL", description = "Endpoint overriding the target's.")
    String endpoint;

    @Option(names = "--release", description = "Withdraw the watch (publishes a tombstone).")
    boolean release;

    Clock clock = Clock.systemUTC();

    @Override
    Integer run() throws Exception {
        TaskKey key = task.key();
        WatchRequest request = release ? null : request(key, requestedBy, endpoint, clock);
        RecordMetadata sent = publish(kafka, key, request);
        common.out().printf("%s %s/%s/%s/%s (%s partition %d offset %d)%n",
                release ? "Released watch on" : "Watching", key.getService(), key.getRegion(),
                key.getProjectId(), key.getTaskId(), sent.topic(), sent.partition(), sent.offset());
        common.out().flush();
        return ExitCodes.OK;
    }

    /** Publishes {@code request} (null: the tombstone) for {@code key}; also used by {@code wait}. */
    static RecordMetadata publish(KafkaOptions kafka, TaskKey key, WatchRequest request) throws Exception {
        Map<String, Object> serde = kafka.serdeConfig();
        String topic = kafka.topics().watchRequests();
        try (KafkaProducer<TaskKey, WatchRequest> producer = new KafkaProducer<>(producerConfig(kafka),
                AvroSerdes.specific(TaskKey.class, serde, true).serializer(),
                AvroSerdes.specific(WatchRequest.class, serde, false).serializer())) {
            return producer.send(new ProducerRecord<>(topic, key, request)).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new KafkaUnavailableException(kafka.bootstrapServers(), e.getCause());
            }
            throw e;
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException(kafka.bootstrapServers(), e);
        }
    }

    /** The watch request for {@code key}, asked by {@code requestedBy}; also used by {@code wait}. */
    static WatchRequest request(TaskKey key, String requestedBy, String endpoint, Clock clock) {
        if (endpoint != null) {
            URI uri;
            try {
                uri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--endpoint: '" + endpoint + "' is not a URL");
            }
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new UserInputException("--endpoint: '" + endpoint + "' is not an http(s) URL with a host");
            }
        }
        return WatchRequest.newBuilder().setService(key.getService()).setRegion(key.getRegion())
                .setProjectId(key.getProjectId()).setTaskId(key.getTaskId()).setRequestedAt(clock.instant())
                .setRequestedBy(requestedBy).setEndpoint(endpoint).build();
    }

    private static Map<String, Object> producerConfig(KafkaOptions kafka) {
        Map<String, Object> props = kafka.clientProperties();
        // One record, but never duplicated or reordered behind a retry: the watch set is rebuilt from this topic.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // The poller's partitioning of task keys (TaskPartitions): by identity, not by the schema id in the key bytes.
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, TaskKeyPartitioner.class.getName());
        // Bounded waits, so an unreachable cluster ends in a clear error (exit 3) rather than a hang.
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-watch");
        return props;
    }
}
