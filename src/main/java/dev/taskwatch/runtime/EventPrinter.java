package dev.taskwatch.runtime;

import dev.taskwatch.Causes;
import dev.taskwatch.kafka.ConsumerLoop;
import dev.taskwatch.serde.SchemaRegistryUnavailableException;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.serde.AvroDeserializer;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the event topic ({@code read_committed}, so only events of committed transactions) and prints each event as
 * one line to a {@link PrintStream}. It assigns all partitions itself (no group membership, no rebalances) and starts
 * at the beginning, at the end, or at the offsets a consumer group committed (then it commits what it printed, so a
 * restart resumes without printing anything twice).
 *
 * <p>Either run it in the calling thread ({@link #run()}, e.g. {@code taskwatch events}) or in a background thread
 * ({@link #start()}, e.g. {@code run --print-events}); {@link #close()} stops it from any thread. With {@link
 * Builder#stopAtEnd(boolean) stopAtEnd} it stops by itself at the end offsets it saw when it started.
 *
 * <p>Records that cannot be deserialized are reported on the log and skipped: a printer must not stop at one bad
 * record.
 */
public final class EventPrinter implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventPrinter.class);

    /** Where to start reading. */
    public enum Start {
        /** The oldest retained event. */
        BEGINNING,
        /** Only events written after the printer started. */
        END,
        /** The offsets the consumer group committed; partitions without one start at the end. */
        COMMITTED
    }

    private final Map<String, Object> consumerProperties;
    private final Map<String, ?> serdeConfig;
    private final String topic;
    private final EventFormat format;
    private final Consumer<String> println;
    private final Runnable flush;
    private final BooleanSupplier outputBroken;
    private final Start start;
    private final String groupId;
    private final boolean stopAtEnd;
    private final Duration metadataTimeout;

    private final AtomicLong printed = new AtomicLong();
    private final ConsumerLoop<byte[], byte[]> loop;
    private AvroDeserializer<TaskEvent> values;

    private EventPrinter(Builder b) {
        this.consumerProperties = Map.copyOf(b.kafkaProperties);
        this.serdeConfig = Map.copyOf(b.serdeConfig);
        this.topic = Objects.requireNonNull(b.topic, "topic");
        this.format = b.format;
        this.println = b.println;
        this.flush = b.flush;
        this.outputBroken = b.outputBroken;
        this.start = b.start;
        this.groupId = b.groupId;
        this.stopAtEnd = b.stopAtEnd;
        this.metadataTimeout = b.metadataTimeout;
        if (start == Start.COMMITTED && groupId == null) {
            throw new IllegalArgumentException("Start.COMMITTED needs a consumer group id");
        }
        this.loop = ConsumerLoop.<byte[], byte[]>builder("taskwatch-event-printer", () -> {
                    values = new AvroDeserializer<>(TaskEvent.class, serdeConfig, false);
                    return new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
                            new ByteArrayDeserializer());
                })
                .position(c -> {
                    List<TopicPartition> partitions = partitions(c);
                    c.assign(partitions);
                    position(c, partitions);
                })
                .stopWhenCaughtUp(stopAtEnd)
                .handler(this::printBatch)
                .onClosedWhileRunning(this::commitOnStop)
                .onFinish(() -> {
                    flush.run();
                    if (values != null) {
                        values.close();
                    }
                })
                .translateFailure(e -> e instanceof TimeoutException ? new KafkaUnavailableException(
                        String.valueOf(consumerProperties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)), e) : e)
                .reportFailure(e -> log.error("Event printer stopped: {}", e.getMessage(), e))
                .build();
    }

    /**
     * @param kafkaProperties {@code bootstrap.servers} plus any passthrough client properties (security etc.)
     * @param serdeConfig the {@code AvroSerdeConfig} map ({@code schema.registry.url} ...)
     * @param topic the event topic, {@code Topics.events()}
     */
    public static Builder builder(Map<String, ?> kafkaProperties, Map<String, ?> serdeConfig, String topic) {
        return new Builder(kafkaProperties, serdeConfig, topic);
    }

    /** Reads and prints until {@link #close()} is called or, with stopAtEnd, the start-time end is reached. */
    @Override
    public void run() {
        loop.run();
    }

    /** Prints one poll's events; false (stop, commit nothing) when the output broke or a stop came mid-batch. */
    private boolean printBatch(ConsumerRecords<byte[], byte[]> records, org.apache.kafka.clients.consumer.Consumer<
            byte[], byte[]> c) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!print(values, record)) {
                return false; // stopped while waiting for the registry: the rest of the batch is not printed, so
                              // nothing may be committed
            }
        }
        flush.run();
        if (outputBroken.getAsBoolean()) {
            // e.g. `taskwatch events --follow | head`: nobody reads any more, and nothing may be committed
            log.debug("Output closed: event printer stops");
            return false;
        }
        if (start == Start.COMMITTED && !records.isEmpty()) {
            c.commitSync(nextOffsets(c, records.partitions()));
        }
        return true;
    }

    /**
     * The wake-up may have hit the commit after a printed batch: commit what was printed (every fetched record is
     * printed before the next consumer call, so the positions are exactly what was printed).
     */
    private void commitOnStop(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> c) {
        if (start != Start.COMMITTED || c.assignment().isEmpty()) {
            return;
        }
        try {
            c.commitSync(nextOffsets(c, c.assignment()));
        } catch (RuntimeException e) {
            log.warn("Could not commit the printed offsets on stop: {}", e.toString());
        }
    }

    /** Runs {@link #run()} in a daemon thread named {@code taskwatch-event-printer}; see {@link #failure()}. */
    public EventPrinter start() {
        loop.start();
        return this;
    }

    /** Stops reading (from any thread) and, when it is running in another thread, waits up to 10 s for it to end. */
    @Override
    public void close() {
        loop.close();
    }

    /**
     * Waits until the printer has assigned the partitions and fixed its start offsets: events written after this
     * returns true will be printed (with {@link Start#END} too).
     */
    public boolean awaitPositioned(Duration timeout) throws InterruptedException {
        return loop.awaitPositioned(timeout);
    }

    /** Waits for a background printer to end by itself (stopAtEnd) or be closed. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return loop.awaitFinished(timeout);
    }

    /** How many events were printed so far. */
    public long printed() {
        return printed.get();
    }

    /** Why the background printer stopped, if it failed. */
    public Optional<Throwable> failure() {
        return loop.failure();
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "taskwatch-event-printer");
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        } else {
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        }
        return props;
    }

    private List<TopicPartition> partitions(org.apache.kafka.clients.consumer.Consumer<?, ?> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, metadataTimeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("Topic " + topic + " does not exist at Kafka "
                    + consumerProperties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private void position(org.apache.kafka.clients.consumer.Consumer<?, ?> c, List<TopicPartition> partitions) {
        switch (start) {
            case BEGINNING -> c.seekToBeginning(partitions);
            case END -> c.seekToEnd(partitions);
            case COMMITTED -> {
                Map<TopicPartition, OffsetAndMetadata> committed = c.committed(Set.copyOf(partitions));
                Map<TopicPartition, OffsetAndMetadata> firstStart = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata offset = committed.get(tp);
                    if (offset != null) {
                        c.seek(tp, offset);
                    } else {
                        c.seekToEnd(List.of(tp));
                        firstStart.put(tp, new OffsetAndMetadata(c.position(tp)));
                    }
                }
                // Commit where a partition without offsets starts, so that a restart resumes there even if
                // nothing arrived on it: otherwise events written while stopped would be skipped.
                if (!firstStart.isEmpty()) {
                    c.commitSync(firstStart);
                }
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(org.apache.kafka.clients.consumer.Consumer<?, ?> c,
            Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach(tp -> offsets.put(tp, new OffsetAndMetadata(c.position(tp))));
        return offsets;
    }

    /**
     * Prints one event. An event is never skipped: while the registry is unavailable the same record is retried (with
     * backoff, until a stop); a record that cannot be decoded for any other reason stops the printer naming its topic,
     * partition and offset.
     *
     * @return false when a stop came while waiting for the registry (the record was not printed)
     */
    private boolean print(AvroDeserializer<TaskEvent> values, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return true;
        }
        TaskEvent event = null;
        long backoffMs = 250;
        while (event == null) {
            try {
                event = values.deserialize(record.topic(), record.headers(), record.value());
            } catch (RuntimeException e) {
                String where = record.topic() + "-" + record.partition() + " offset " + record.offset();
                if (!Causes.has(e, SchemaRegistryUnavailableException.class)) {
                    throw new UndecodableEventException("Cannot decode the event at " + where + ": "
                            + e.getMessage() + " (stopping rather than skipping it)", e);
                }
                log.warn("Schema registry unavailable decoding the event at {}; retrying in {} ms: {}", where,
                        backoffMs, e.getMessage());
                if (!pause(backoffMs)) {
                    return false;
                }
                backoffMs = Math.min(backoffMs * 2, 30_000);
            }
        }
        println.accept(format.format(event));
        printed.incrementAndGet();
        return true;
    }

    /** Sleeps unless a stop is requested; false when stopping. */
    private boolean pause(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!loop.stopping()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Options of an {@link EventPrinter}; defaults: text to stdout, from the end, following. */
    public static final class Builder {

        private final Map<String, ?> kafkaProperties;
        private final Map<String, ?> serdeConfig;
        private final String topic;
        private EventFormat format = EventFormat.TEXT;
        private Consumer<String> println = System.out::println;
        private Runnable flush = System.out::flush;
        private BooleanSupplier outputBroken = System.out::checkError;
        private Start start = Start.END;
        private String groupId;
        private boolean stopAtEnd;
        private Duration metadataTimeout = Duration.ofSeconds(15);

        private Builder(Map<String, ?> kafkaProperties, Map<String, ?> serdeConfig, String topic) {
            this.kafkaProperties = kafkaProperties;
            this.serdeConfig = serdeConfig;
            this.topic = topic;
        }

        public Builder format(EventFormat format) {
            this.format = Objects.requireNonNull(format);
            return this;
        }

        public Builder out(PrintStream out) {
            this.println = out::println;
            this.flush = out::flush;
            this.outputBroken = out::checkError;
            return this;
        }

        public Builder out(PrintWriter out) {
            this.println = out::println;
            this.flush = out::flush;
            this.outputBroken = out::checkError;
            return this;
        }

        public Builder fromBeginning() {
            this.start = Start.BEGINNING;
            return this;
        }

        public Builder fromEnd() {
            this.start = Start.END;
            return this;
        }

        /** Resume from the group's committed offsets and commit what was printed (no group membership). */
        public Builder fromCommitted(String groupId) {
            this.start = Start.COMMITTED;
            this.groupId = Objects.requireNonNull(groupId);
            return this;
        }

        /** Stop at the end offsets seen at start instead of following the topic. */
        public Builder stopAtEnd(boolean stopAtEnd) {
            this.stopAtEnd = stopAtEnd;
            return this;
        }

        /** How long to wait for the topic's metadata before reporting Kafka unreachable. */
        public Builder metadataTimeout(Duration timeout) {
            this.metadataTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public EventPrinter build() {
            return new EventPrinter(this);
        }
    }
}
