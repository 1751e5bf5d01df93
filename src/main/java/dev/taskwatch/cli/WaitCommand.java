package dev.taskwatch.cli;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.partition.TaskPartitions;
import dev.taskwatch.config.Durations;
import dev.taskwatch.kafka.ConsumerLoop;
import dev.taskwatch.runtime.EventFormat;
import dev.taskwatch.runtime.KafkaUnavailableException;
import dev.taskwatch.serde.AvroDeserializer;
import dev.taskwatch.taskcenter.Dialects;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taskwatch wait}: prints one task's events as they arrive and exits with its outcome, for scripts and
 * pipelines (like Terraform's waiters): 0 COMPLETED, 1 FAILED or CANCELED (the fail reason on stderr), 124 on
 * {@code --timeout}.
 *
 * <p>It reads the task's events from the event topic, from the beginning, {@code read_committed}: a task that ended
 * before {@code wait} started is answered at once from its terminal event, and one that ends later from the event as
 * it arrives, with one mechanism and nothing but Kafka. The event topic is the contract every deployment has (an
 * interactive query would need the transitions instances to serve RPC and to be reachable from the script). For a
 * service whose tasks can only be read by id (TaurusDB) it first files the watch request that makes the poller look
 * at the task at all.
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Waits for one task to end, printing its events as they arrive.",
            "Exit: 0 COMPLETED, 1 FAILED or CANCELED (reason on stderr), 124 timeout."})
public final class WaitCommand extends TaskCommand {

    @Option(names = "--timeout", paramLabel = "D",
            description = "Give up after this long (e.g. 30s, 15m, PT1H) with exit code 124; default: no limit.")
    String timeout;

    @Option(names = "--format", paramLabel = "text|jsonl|cloudevents", defaultValue = "text",
            description = "How each event is printed (default: ${DEFAULT-VALUE}).")
    EventFormat format;

    Clock clock = Clock.systemUTC();

    @Override
    Integer run() throws Exception {
        Duration limit = limit();
        TaskKey key = task.key();
        PrintWriter out = common.out();
        PrintWriter err = common.err();
        if (Dialects.of(task.service()).listing().isEmpty()) {
            // get-by-id only (TaurusDB, RDS): without a watch request the poller never looks at this task
            WatchCommand.publish(kafka, key, WatchCommand.request(key, "taskwatch wait", null, clock));
            err.printf("Filed a watch request for %s%n", task);
            err.flush();
        }
        Instant deadline = limit == null ? Instant.MAX : clock.instant().plus(limit);
        Map<String, Object> serde = kafka.serdeConfig();
        int[] exit = {ExitCodes.TIMEOUT};
        try (AvroDeserializer<TaskKey> keys = new AvroDeserializer<>(TaskKey.class, serde, true);
                AvroDeserializer<TaskEvent> values = new AvroDeserializer<>(TaskEvent.class, serde, false)) {
            ConsumerLoop.<byte[], byte[]>builder("taskwatch-wait", () -> new KafkaConsumer<>(consumerConfig(),
                            new ByteArrayDeserializer(), new ByteArrayDeserializer()))
                    .position(consumer -> {
                        List<TopicPartition> partitions = partitionsToRead(consumer, key);
                        consumer.assign(partitions);
                        consumer.seekToBeginning(partitions);
                    })
                    .pollTimeout(() -> min(Duration.between(clock.instant(), deadline), Duration.ofMillis(500)))
                    .handler((records, consumer) -> {
                        for (ConsumerRecord<byte[], byte[]> record : records) {
                            if (record.key() == null || record.value() == null
                                    || !key.equals(keys.deserialize(record.topic(), record.headers(), record.key()))) {
                                continue;
                            }
                            TaskEvent event = values.deserialize(record.topic(), record.headers(), record.value());
                            out.println(format.format(event));
                            out.flush();
                            Integer code = exitCodeOf(event);
                            if (code != null) {
                                if (code != ExitCodes.OK) {
                                    err.printf("Task %s %s%s%n", key.getTaskId(), event.getType(),
                                            event.getFailReason() == null ? "" : ": " + event.getFailReason());
                                    err.flush();
                                }
                                exit[0] = code;
                                return false;
                            }
                        }
                        return clock.instant().isBefore(deadline);
                    })
                    .build()
                    .run();
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException(kafka.bootstrapServers(), e);
        }
        if (exit[0] == ExitCodes.TIMEOUT) {
            err.printf("Timed out after %s waiting for task %s to end%n", Durations.format(limit), task);
            err.flush();
        }
        return exit[0];
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static Integer exitCodeOf(TaskEvent event) {
        TaskEventType type = event.getType();
        return switch (type) {
            case COMPLETED -> ExitCodes.OK;
            case FAILED, CANCELED -> ExitCodes.TASK_FAILED;
            default -> null;
        };
    }

    private Duration limit() {
        if (timeout == null || timeout.isBlank()) {
            return null;
        }
        try {
            Duration d = Durations.parse(timeout);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            return d;
        } catch (RuntimeException e) {
            throw new UserInputException("--timeout: '" + timeout + "' is not a positive duration (use e.g. 30s, "
                    + "15m, PT1H)");
        }
    }

    /** The partitions that can hold the task's events. */
    private List<TopicPartition> partitionsToRead(Consumer<?, ?> consumer, TaskKey key) {
        String topic = kafka.topics().events();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("Topic " + topic + " does not exist at Kafka " + kafka.bootstrapServers());
        }
        // Events of a task are on the partition its identity hashes to (docs/events.md#partitioning-and-order):
        // reading that one partition answers as fast for a task that ended long ago as for one ending now.
        return List.of(new TopicPartition(topic, TaskPartitions.partition(key, infos.size())));
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "taskwatch-wait");
        return props;
    }
}
