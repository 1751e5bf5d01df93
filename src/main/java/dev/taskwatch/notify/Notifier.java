package dev.taskwatch.notify;

import dev.taskwatch.model.DeadLetterHeaders;
import dev.taskwatch.kafka.ConsumerLoop;
import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.config.NotifyConfig;
import dev.taskwatch.config.NotifyConfig.NotifyRule;
import dev.taskwatch.serde.AvroDeserializer;
import dev.taskwatch.serde.RegistryFault;
import dev.taskwatch.transitions.CloudEventHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code taskwatch notify}: reads the event topic ({@code read_committed}, consumer group {@code notify.group-id}),
 * and for each event calls the webhook of every matching rule, one event at a time and in partition order, so the
 * events of one task (one partition) reach a receiver in the order they happened, retries included.
 *
 * <p>At least once: the offset of an event is committed only after every matching rule delivered it or wrote it to
 * the dead-letter topic. A crash in between repeats the event on restart with the same {@code Idempotency-Key}
 * ({@code event_id}); nothing is skipped. Kafka's own faults do not stop notify and, within one process, cause no
 * repeat: a commit that fails (coordinator unreachable, member evicted) stays pending and the handled event is
 * remembered ({@link PendingCommits}); a dead letter that cannot be written is retried (1 s doubling to
 * {@link #MAX_KAFKA_BACKOFF}) before the event counts as handled. One record per poll ({@code max.poll.records=1})
 * and a poll interval that covers the longest retry budget keep the group from evicting a member that is waiting for
 * a slow receiver.
 *
 * <p>A schema registry fault while decoding an event ({@link RegistryFault}: unreachable, or refusing with 401/403)
 * is not the event's: it is neither delivered nor dead-lettered. The consumer seeks back to it, waits (1 s doubling
 * to {@link #MAX_REGISTRY_BACKOFF}, well within the poll interval) and reads it again; {@link #trouble()} names the
 * cause meanwhile and the warning is logged at most once a minute.
 */
public final class Notifier implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final NotifyConfig settings;
    private final List<RuleMatcher> matchers;
    private final Map<String, Object> kafkaProperties;
    private final Map<String, ?> serdeConfig;
    private final Topics topics;
    private final NotifyMetrics metrics;
    private final Delivery delivery;
    private final Clock clock;
    private final ConsumerLoop<byte[], byte[]> loop;
    private AvroDeserializer<TaskEvent> values;
    private KafkaProducer<byte[], byte[]> dlq;
    private Consumer<ConsumerRecord<byte[], byte[]>> beforeCommit = r -> {};
    private final Delivery.Sleeper sleeper;
    private final PendingCommits pending;
    static final Duration MAX_REGISTRY_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_KAFKA_BACKOFF = Duration.ofSeconds(30);
    private int registryFaults;
    private Instant lastRegistryWarning;
    private volatile String trouble;
    private volatile String deadLetterTrouble;
    private Instant lastDeadLetterWarning;

    /** The event could not be decoded because of the registry: wait and read it again. */
    private static final class RegistryFaultWhileDecoding extends RuntimeException {
        RegistryFaultWhileDecoding(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    public Notifier(NotifyConfig settings, Map<String, ?> kafkaProperties, Map<String, ?> serdeConfig,
            Topics topics, MeterRegistry registry) {
        this(settings, kafkaProperties, serdeConfig, topics, registry, Clock.systemUTC(),
                d -> Thread.sleep(d.toMillis()));
    }

    public Notifier(NotifyConfig settings, Map<String, ?> kafkaProperties, Map<String, ?> serdeConfig,
            Topics topics, MeterRegistry registry, Clock clock, Delivery.Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings);
        this.matchers = settings.rules().stream().map(RuleMatcher::of).toList();
        this.kafkaProperties = new HashMap<>(kafkaProperties);
        this.serdeConfig = Map.copyOf(serdeConfig);
        this.topics = topics;
        this.clock = clock;
        this.sleeper = sleeper;
        this.pending = new PendingCommits(clock);
        this.metrics = new NotifyMetrics(registry, settings.rules());
        this.delivery = new Delivery(new WebhookSender(), clock, sleeper,
                () -> ThreadLocalRandom.current().nextDouble(), metrics);
        this.loop = ConsumerLoop.<byte[], byte[]>builder("taskwatch-notify", () -> {
                    values = new AvroDeserializer<>(TaskEvent.class, this.serdeConfig, false);
                    dlq = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
                    return new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
                            new ByteArrayDeserializer());
                })
                .position(c -> {
                    c.subscribe(List.of(topics.events()), new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                            pending.revoked(c, partitions);
                        }

                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

                        @Override
                        public void onPartitionsLost(Collection<TopicPartition> partitions) {
                            pending.lost(partitions);
                        }
                    });
                    log.info("Notify started: {} rule(s) on {} (group {})", settings.rules().size(), topics.events(),
                            settings.groupId());
                })
                .handler(this::handleBatch)
                .onFinish(() -> {
                    if (dlq != null) {
                        dlq.close();
                    }
                    if (values != null) {
                        values.close();
                    }
                })
                // ends a backoff sleep or a pending webhook call: an event in the middle of its retries is left
                // uncommitted, so the next run repeats it
                .interruptOnClose(true)
                .closeTimeout(Duration.ofSeconds(15))
                .reportFailure(e -> log.error("Notify stopped: {}", e.getMessage(), e))
                .build();
    }

    /** Test seam: runs after an event was handled and before its offset is committed (a crash point). */
    public Notifier beforeCommit(Consumer<ConsumerRecord<byte[], byte[]>> hook) {
        this.beforeCommit = Objects.requireNonNull(hook);
        return this;
    }

    @Override
    public void run() {
        loop.run();
    }

    /**
     * Handles each event and commits its offset once every matching rule delivered or dead-lettered it. An event that
     * cannot be decoded because of the schema registry is read again after a wait (one record per poll, so nothing
     * behind it on another partition was taken yet). A commit that fails because of Kafka leaves the offset pending
     * ({@link PendingCommits}): it is tried again with the next event or, when none comes, at the next poll.
     */
    private boolean handleBatch(ConsumerRecords<byte[], byte[]> records,
            org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> c) throws InterruptedException {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            String eventId = eventId(record);
            if (pending.alreadyHandled(tp, record.offset(), eventId)) {
                // back after a failed commit and a rebalance: its webhook calls were made, only the commit is owed
                log.info("notify: event {} ({}@{}) was handled before its commit failed; not delivered again", eventId,
                        tp, record.offset());
                pending.handled(tp, record.offset(), eventId);
                pending.commit(c);
                continue;
            }
            if (pending.full()) {
                // the memory that prevents repeats is full of uncommitted events: wait for Kafka before going on
                c.seek(tp, record.offset());
                sleeper.sleep(PendingCommits.RETRY_EVERY);
                pending.commit(c);
                return true;
            }
            try {
                handle(record, values, dlq);
            } catch (RegistryFaultWhileDecoding e) {
                waitForRegistry(e.getCause());
                c.seek(tp, record.offset());
                return true; // the same event again, after the wait
            }
            registryFaults = 0;
            trouble = null;
            beforeCommit.accept(record);
            pending.handled(tp, record.offset(), eventId);
            pending.commit(c);
        }
        if (records.isEmpty()) {
            pending.commit(c); // idle: a commit that failed is tried again
        }
        return true;
    }

    private static String eventId(ConsumerRecord<byte[], byte[]> record) {
        Header id = record.headers().lastHeader(CloudEventHeaders.ID);
        return id == null ? null : new String(id.value(), StandardCharsets.UTF_8);
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, AvroDeserializer<TaskEvent> values,
            KafkaProducer<byte[], byte[]> dlq) throws InterruptedException {
        if (record.value() == null) {
            return;
        }
        TaskEvent event;
        try {
            event = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            if (RegistryFault.of(e).isRegistrys()) {
                throw new RegistryFaultWhileDecoding(e);
            }
            // an undecodable event cannot be sent anywhere: keep it for inspection rather than block every rule
            deadLetter(dlq, record, "*", 0, "undecodable event: " + e.getMessage());
            return;
        }
        byte[] body = null;
        for (RuleMatcher matcher : matchers) {
            if (!matcher.matches(event)) {
                continue;
            }
            NotifyRule rule = matcher.rule();
            if (body == null) {
                body = TaskCloudEvents.json(event);
            }
            Delivery.Result result = delivery.deliver(rule, event.getEventId(), body);
            if (result.delivered()) {
                metrics.delivered(rule.name(), Duration.between(event.getDetectedAt(), clock.instant()));
            } else {
                log.warn("notify rule {}: event {} of task {} dead-lettered: {}", rule.name(), event.getEventId(),
                        event.getTaskId(), result.reason());
                deadLetter(dlq, record, rule.name(), result.attempts(), result.reason());
                metrics.deadLettered(rule.name());
            }
        }
    }

    private void waitForRegistry(Throwable cause) throws InterruptedException {
        registryFaults++;
        Duration wait = Duration.ofSeconds(1L << Math.min(registryFaults - 1, 5));
        if (wait.compareTo(MAX_REGISTRY_BACKOFF) > 0) {
            wait = MAX_REGISTRY_BACKOFF;
        }
        trouble = "notify waiting for the schema registry to decode events: " + cause.getMessage();
        Instant now = clock.instant();
        if (lastRegistryWarning == null || !now.isBefore(lastRegistryWarning.plus(Duration.ofMinutes(1)))) {
            lastRegistryWarning = now;
            log.warn("Notify cannot decode events while the schema registry fails ({}); the event is read again in "
                    + "{} s, nothing is dead-lettered for it", cause.getMessage(), wait.toSeconds());
        }
        sleeper.sleep(wait);
    }

    /** Why notify is not delivering or committing now (the registry, Kafka), if it is not. */
    public Optional<String> trouble() {
        List<String> reasons = new ArrayList<>(3);
        Optional.ofNullable(trouble).ifPresent(reasons::add);
        Optional.ofNullable(deadLetterTrouble).ifPresent(reasons::add);
        pending.trouble().ifPresent(reasons::add);
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    private void deadLetter(KafkaProducer<byte[], byte[]> dlq, ConsumerRecord<byte[], byte[]> record, String rule,
            int attempts, String reason) throws InterruptedException {
        Headers headers = new RecordHeaders(record.headers().toArray());
        put(headers, DeadLetterHeaders.REASON, reason);
        put(headers, DeadLetterHeaders.RULE, rule);
        put(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
        put(headers, DeadLetterHeaders.SOURCE, record.topic() + "-" + record.partition() + "@" + record.offset());
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topics.notifyDlq(), null, record.key(),
                record.value(), headers);
        Duration wait = Duration.ofSeconds(1);
        while (true) {
            try {
                // synchronously: the offset is committed right after, and the dead letter must be durable first
                dlq.send(letter).get();
                deadLetterTrouble = null;
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new IllegalStateException("Cannot write to " + topics.notifyDlq() + ": " + e.getCause(), e);
                }
                // Kafka unavailable (a delivery or metadata timeout): the event stays unhandled and uncommitted
                // meanwhile, and events behind it on its partition wait, so the order per task holds
                waitForDeadLetterTopic(e.getCause(), wait);
                wait = wait.multipliedBy(2).compareTo(MAX_KAFKA_BACKOFF) > 0 ? MAX_KAFKA_BACKOFF : wait.multipliedBy(2);
            }
        }
    }

    private void waitForDeadLetterTopic(Throwable cause, Duration wait) throws InterruptedException {
        deadLetterTrouble = "notify cannot write dead letters to " + topics.notifyDlq() + ": " + cause.getMessage();
        Instant now = clock.instant();
        if (lastDeadLetterWarning == null || !now.isBefore(lastDeadLetterWarning.plus(Duration.ofMinutes(1)))) {
            lastDeadLetterWarning = now;
            log.warn("Notify cannot write a dead letter to {} ({}); tried again in {} s, the event is not committed "
                    + "meanwhile", topics.notifyDlq(), cause.getMessage(), wait.toSeconds());
        }
        sleeper.sleep(wait);
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs {@link #run()} in a daemon thread {@code taskwatch-notify}; see {@link #failure()}. */
    public Notifier start() {
        loop.start();
        return this;
    }

    public Optional<Throwable> failure() {
        return loop.failure();
    }

    /** Stops: an event in the middle of its retries is left uncommitted, so the next run repeats it. */
    @Override
    public void close() {
        loop.close();
    }

    Map<String, Object> consumerConfig() {
        Map<String, Object> props = new HashMap<>(kafkaProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        // a new group starts with the oldest retained event: nothing emitted before notify first joined is lost
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                longestHandling().toMillis()));
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "taskwatch-notify");
        return props;
    }

    /** The longest one event can take: every matching rule at its full retry budget plus a last call. */
    Duration longestHandling() {
        Duration total = Duration.ofMinutes(1);
        for (NotifyRule rule : settings.rules()) {
            total = total.plus(rule.retry().maxDuration()).plus(rule.retry().maxBackoff())
                    .plus(rule.webhook().timeout().multipliedBy(2));
        }
        return total;
    }

    /**
     * The dead-letter producer's configuration. Its keys are the event records' raw bytes, so a
     * {@code partitioner.class} from the passthrough properties (the README names {@code TaskKeyPartitioner} for
     * producers of snapshots) is dropped: that partitioner cannot read raw bytes and would fail every dead letter.
     */
    Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>(kafkaProperties);
        props.keySet().removeIf(k -> k.startsWith("group.") || k.equals(ConsumerConfig.ISOLATION_LEVEL_CONFIG)
                || k.equals(ProducerConfig.PARTITIONER_CLASS_CONFIG));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-notify-dlq");
        return props;
    }
}
