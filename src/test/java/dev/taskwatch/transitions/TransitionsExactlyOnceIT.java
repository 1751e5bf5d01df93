package dev.taskwatch.transitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.testing.KafkaTestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across crashes on a real broker: a few thousand snapshots of a few hundred tasks, mostly duplicates,
 * fed in chunks while the application is killed mid-transaction (its producer throws, the stream thread dies, the
 * open transaction is aborted) or closed with a zero timeout, and restarted on the same state directory. The whole
 * output, read committed, must be exactly what the rules produce for each task's sequence: nothing lost, nothing
 * twice.
 */
class TransitionsExactlyOnceIT {

    private static final int TASKS = 300;
    private static final int CHUNKS = 5;
    private static final long SEED = 4242L;
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    Path stateDir;

    private final Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, new InProcessSchemaRegistry());

    @Test
    void shouldEmitEveryExpectedEventExactlyOnceAcrossCrashesAndRestarts() throws Exception {
        Random random = new Random(SEED);
        Map<TaskKey, List<TaskSnapshot>> perTask = generate(random);
        List<Object> input = interleave(perTask, random); // TaskSnapshot or byte[] garbage
        int garbage = (int) input.stream().filter(o -> o instanceof byte[]).count();
        TransitionSettings settings = TransitionSettings.defaults().withStateDir(stateDir)
                .withCommitInterval(Duration.ofMillis(100));
        Map<TaskKey, List<TaskEvent>> expected = expectedEvents(perTask, settings);

        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            createTopics(kafka.bootstrapServers());
            Properties props = TransitionStreamsConfig.properties(kafka.bootstrapServers(), settings, Map.of(
                    // One thread: the IT must stay light on a shared 2-core machine.
                    StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1,
                    // Static membership: a restart after a crash (which cannot leave the group) takes the partitions
                    // over at once instead of waiting for the dead member's session to time out.
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), "transitions-it",
                    // A crashed transaction is aborted by the restart's fencing anyway; keep the bound short.
                    StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 10_000));

            long processingNanos = 0;
            int crashes = 0;
            int zeroCloses = 0;
            int chunkSize = (input.size() + CHUNKS - 1) / CHUNKS;
            double[] steady = {0, 0};
            try (KafkaProducer<byte[], byte[]> producer = inputProducer(kafka.bootstrapServers())) {
                for (int round = 0; round < CHUNKS; round++) {
                    List<Object> chunk = input.subList(round * chunkSize, Math.min(input.size(),
                            (round + 1) * chunkSize));
                    produce(producer, chunk);
                    long started = System.nanoTime();
                    boolean last = round == CHUNKS - 1;
                    if (last) {
                        steady = runToCompletion(kafka.bootstrapServers(), props, settings);
                    } else if (round % 2 == 0) {
                        // A round makes several hundred sends (events twice, changelog, DLQ), so the crash always
                        // lands mid-stream.
                        crashMidTransaction(props, settings, kafka.bootstrapServers(), 50 + random.nextInt(200));
                        crashes++;
                    } else {
                        closeWithZeroTimeoutMidStream(props, settings, chunk.size() / 3);
                        zeroCloses++;
                    }
                    processingNanos += System.nanoTime() - started;
                }
            }

            Map<String, List<ConsumerRecord<byte[], byte[]>>> out = readCommitted(kafka.bootstrapServers());
            verify(perTask, expected, out, garbage);
            double seconds = processingNanos / 1e9;
            System.err.printf("TransitionsExactlyOnceIT: %d snapshot records (%d tasks, %d garbage) through %d crashes"
                    + " and %d zero-timeout closes in %.1f s of application time, about %.0f records/s including"
                    + " restarts%n", input.size(), perTask.size(), garbage, crashes, zeroCloses, seconds,
                    input.size() / seconds);
            System.err.printf("TransitionsExactlyOnceIT: last run, from RUNNING to all committed: %.0f snapshots in"
                    + " %.2f s, about %.0f snapshots/s (exactly_once_v2, commit.interval.ms=100, one thread)%n",
                    steady[1], steady[0], steady[1] / steady[0]);
            System.err.printf("TransitionsExactlyOnceIT: %d event records visible read_uncommitted vs %d committed"
                    + " (the difference was aborted by the crashes)%n", countUncommitted(kafka.bootstrapServers()),
                    out.get(TOPICS.events()).size());
        }
    }

    // ---- the scenario ------------------------------------------------------------------------------------------

    /** Per task, its snapshots in the order the poller publishes them: distinct observations, each read 1..4 times. */
    private static Map<TaskKey, List<TaskSnapshot>> generate(Random random) {
        Map<TaskKey, List<TaskSnapshot>> perTask = new LinkedHashMap<>();
        for (int i = 0; i < TASKS; i++) {
            String id = "task-" + i;
            TaskKey key = new TaskKey(i % 2 == 0 ? "dds" : "geminidb", "eu-de", "p" + (i % 7), id);
            List<TaskSnapshot> seq = new ArrayList<>();
            int[] clock = {0};
            int kind = random.nextInt(10);
            TaskStatus end = List.of(TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELED)
                    .get(random.nextInt(3));
            if (kind < 2) { // first seen already terminal, some long ago (backfill)
                Instant ended = random.nextBoolean() ? T0.minus(Duration.ofDays(3)) : T0.plusSeconds(1);
                reads(seq, key, end, 100, ended, clock, random);
            } else {
                for (int p = random.nextInt(3); p > 0; p--) {
                    reads(seq, key, TaskStatus.PENDING, null, null, clock, random);
                }
                int progress = random.nextInt(20);
                for (int steps = random.nextInt(6); steps >= 0; steps--) {
                    reads(seq, key, TaskStatus.RUNNING, progress, null, clock, random);
                    if (random.nextInt(4) == 0 && progress > 5) { // a lagging replica
                        reads(seq, key, TaskStatus.RUNNING, progress - 5, null, clock, random);
                    }
                    progress = Math.min(100, progress + 1 + random.nextInt(30));
                }
                if (kind < 8) { // 2..7 end; 8, 9 keep running
                    reads(seq, key, end, 100, T0.plusSeconds(clock[0]), clock, random);
                    if (random.nextInt(5) == 0) { // a replica disagreeing on the terminal status
                        TaskStatus other = end == TaskStatus.COMPLETED ? TaskStatus.FAILED : TaskStatus.COMPLETED;
                        reads(seq, key, other, 100, T0.plusSeconds(clock[0]), clock, random);
                    }
                }
            }
            perTask.put(key, seq);
        }
        return perTask;
    }

    private static void reads(List<TaskSnapshot> seq, TaskKey key, TaskStatus status, Integer progress,
            Instant ended, int[] clock, Random random) {
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            clock[0] += 5;
            seq.add(TaskSnapshot.newBuilder()
                    .setService(key.getService()).setRegion(key.getRegion()).setProjectId(key.getProjectId())
                    .setTaskId(key.getTaskId()).setName("Job " + key.getTaskId()).setStatus(status)
                    .setRawStatus(status.name()).setProgressPercent(progress).setCreatedAt(T0).setEndedAt(ended)
                    .setInstanceId("i-" + key.getTaskId()).setInstanceName("db")
                    .setFailReason(status == TaskStatus.FAILED ? "boom" : null)
                    .setObservedAt(T0.plusSeconds(clock[0])).setSource("https://example/jobs").build());
        }
    }

    /** Merges the tasks' sequences at random, keeping each task's order, and sprinkles garbage records in. */
    private static List<Object> interleave(Map<TaskKey, List<TaskSnapshot>> perTask, Random random) {
        List<List<TaskSnapshot>> queues = new ArrayList<>();
        perTask.values().forEach(q -> queues.add(new ArrayList<>(q)));
        List<Object> out = new ArrayList<>();
        while (!queues.isEmpty()) {
            int i = random.nextInt(queues.size());
            out.add(queues.get(i).remove(0));
            if (queues.get(i).isEmpty()) {
                queues.remove(i);
            }
            if (random.nextInt(400) == 0) {
                out.add(("garbage-" + out.size()).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Map<TaskKey, List<TaskEvent>> expectedEvents(Map<TaskKey, List<TaskSnapshot>> perTask,
            TransitionSettings settings) {
        TransitionRules rules = TransitionRules.of(settings);
        Map<TaskKey, List<TaskEvent>> expected = new HashMap<>();
        perTask.forEach((key, seq) -> expected.put(key, TransitionRulesProperties.fold(rules, seq)));
        return expected;
    }

    // ---- running the application --------------------------------------------------------------------------

    private TransitionsApp newApp(Properties props, TransitionSettings settings, KafkaClientSupplier clients,
            SimpleMeterRegistry meters) {
        var topology = TransitionTopology.build(TOPICS, settings, serdeConfig, meters);
        return clients == null ? new TransitionsApp(props, topology) : new TransitionsApp(props, topology, clients);
    }

    /**
     * Kills the stream thread from inside: the producer throws on its n-th send, mid-transaction. Runs the application
     * the way the command line does, {@link TransitionsApp#run}, which must rethrow the error after closing.
     */
    private void crashMidTransaction(Properties props, TransitionSettings settings, String bootstrap, int n)
            throws Exception {
        CrashingClients clients = new CrashingClients(n);
        TransitionsApp app = newApp(props, settings, clients, new SimpleMeterRegistry());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                app.run(Duration.ofSeconds(20));
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "transitions-run");
        runner.start();
        runner.join(Duration.ofSeconds(60).toMillis());
        assertThat(runner.isAlive()).as("run() returned after the crash").isFalse();
        assertThat(thrown.get()).isInstanceOf(TransitionsFailedException.class)
                .hasStackTraceContaining("injected crash");
        assertThat(app.failure()).isPresent();
        assertThat(app.state()).isIn(KafkaStreams.State.ERROR, KafkaStreams.State.NOT_RUNNING);
    }

    /** Closes with a zero timeout as soon as a part of the chunk was read. */
    private void closeWithZeroTimeoutMidStream(Properties props, TransitionSettings settings, int after)
            throws InterruptedException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TransitionsApp app = newApp(props, settings, null, meters);
        app.start();
        awaitCondition("the application to read " + after + " snapshots", Duration.ofSeconds(40),
                () -> meters.counter("taskwatch.transitions.snapshots.in").count() >= after);
        app.close(Duration.ZERO);
        // The next instance uses the same state directory: wait until this one has let go of it.
        awaitCondition("the closed instance to stop", Duration.ofSeconds(30),
                () -> app.state() == KafkaStreams.State.NOT_RUNNING || app.state() == KafkaStreams.State.ERROR);
        assertThat(app.failure()).isEmpty();
    }

    /** Runs until every snapshot is committed; returns the seconds and snapshots processed while RUNNING. */
    private double[] runToCompletion(String bootstrap, Properties props, TransitionSettings settings)
            throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TransitionsApp app = newApp(props, settings, null, meters);
        app.start();
        assertThat(app.awaitReady(Duration.ofSeconds(40))).as("ready").isTrue();
        long running = System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, Long> ends = endOffsets(admin, TOPICS.snapshots());
            awaitCondition("the application to commit every snapshot", Duration.ofSeconds(40), () -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                        settings.applicationId()).partitionsToOffsetAndMetadata().get();
                return ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
            });
        }
        double seconds = (System.nanoTime() - running) / 1e9;
        double processed = meters.counter("taskwatch.transitions.snapshots.in").count();
        assertThat(app.close(Duration.ofSeconds(30))).isTrue();
        assertThat(app.failure()).isEmpty();
        return new double[] {seconds, processed};
    }

    /** Clients whose producer throws on its n-th send (counted over every producer it made). */
    private static final class CrashingClients implements KafkaClientSupplier {
        private final AtomicInteger sends = new AtomicInteger();
        private final int crashAt;

        CrashingClients(int crashAt) {
            this.crashAt = crashAt;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
            Producer<byte[], byte[]> real = new KafkaProducer<>(config, new ByteArraySerializer(),
                    new ByteArraySerializer());
            return (Producer<byte[], byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                    new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                        if (method.getName().equals("send") && sends.incrementAndGet() == crashAt) {
                            throw new KafkaException("injected crash at send #" + crashAt);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Admin getAdmin(Map<String, Object> config) {
            return Admin.create(config);
        }

        @Override
        public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
            return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
            return getConsumer(config);
        }

        @Override
        public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
            return getConsumer(config);
        }
    }

    // ---- Kafka plumbing -------------------------------------------------------------------------------------

    private static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(TOPICS.snapshots(), 3, (short) 1));
            topics.add(new NewTopic(TOPICS.events(), 3, (short) 1));
            Topics.PER_TYPE.forEach(t -> topics.add(new NewTopic(TOPICS.eventsOf(t), 3, (short) 1)));
            topics.add(new NewTopic(TOPICS.snapshotsDlq(), 1, (short) 1));
            admin.createTopics(topics).all().get();
        }
    }

    /**
     * The poller's stand-in. One request in flight per connection: on a heavily loaded machine a produce request can
     * time out after the broker appended it, and with several batches in flight the retry may then fall outside the
     * broker's five-batch dedup window (OUT_OF_ORDER_SEQUENCE_NUMBER, seen here under load); with one, the retry is
     * recognised as a duplicate.
     */
    private static KafkaProducer<byte[], byte[]> inputProducer(String bootstrap) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Produces the chunk and makes sure every record arrived: the expected events assume the whole input. */
    private void produce(KafkaProducer<byte[], byte[]> producer, List<Object> chunk) throws Exception {
        Serde<TaskKey> keys = AvroSerdes.specific(TaskKey.class, serdeConfig, true);
        Serde<TaskSnapshot> values = AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Object o : chunk) {
            if (o instanceof TaskSnapshot s) {
                sent.add(producer.send(new ProducerRecord<>(TOPICS.snapshots(),
                        keys.serializer().serialize(TOPICS.snapshots(), TransitionRules.keyOf(s)),
                        values.serializer().serialize(TOPICS.snapshots(), s))));
            } else {
                sent.add(producer.send(new ProducerRecord<>(TOPICS.snapshots(), (byte[]) o, (byte[]) o)));
            }
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            f.get(); // throws if the test's own input did not arrive, instead of a confusing mismatch later
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(request).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Every record of the output topics, read_committed, up to the last stable offset. */
    private static Map<String, List<ConsumerRecord<byte[], byte[]>>> readCommitted(String bootstrap) {
        List<String> topics = new ArrayList<>(List.of(TOPICS.events(), TOPICS.snapshotsDlq()));
        Topics.PER_TYPE.forEach(t -> topics.add(TOPICS.eventsOf(t)));
        Map<String, List<ConsumerRecord<byte[], byte[]>>> out = new HashMap<>();
        topics.forEach(t -> out.put(t, new ArrayList<>()));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            topics.forEach(t -> consumer.partitionsFor(t).forEach(p -> partitions.add(
                    new TopicPartition(t, p.partition()))));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertThat(System.nanoTime()).as("reading the outputs in time").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.get(r.topic()).add(r));
            }
        }
        return out;
    }

    private static int countUncommitted(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPICS.events()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            int count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    // ---- verification ---------------------------------------------------------------------------------------

    private void verify(Map<TaskKey, List<TaskSnapshot>> perTask, Map<TaskKey, List<TaskEvent>> expected,
            Map<String, List<ConsumerRecord<byte[], byte[]>>> out, int garbage) {
        Serde<TaskKey> keys = AvroSerdes.specific(TaskKey.class, serdeConfig, true);
        Serde<TaskEvent> values = AvroSerdes.specific(TaskEvent.class, serdeConfig, false);
        Map<TaskKey, List<TaskEvent>> actual = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : out.get(TOPICS.events())) {
            TaskKey key = keys.deserializer().deserialize(r.topic(), r.key());
            TaskEvent event = values.deserializer().deserialize(r.topic(), r.value());
            assertThat(ids.add(event.getEventId())).as("event id %s emitted once", event.getEventId()).isTrue();
            assertThat(new String(r.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8))
                    .as("ce_id of %s at %s-%d@%d, headers %s", event, r.topic(), r.partition(), r.offset(),
                            r.headers())
                    .isEqualTo(event.getEventId());
            actual.computeIfAbsent(key, k -> new ArrayList<>()).add(event);
        }
        int expectedCount = 0;
        for (Map.Entry<TaskKey, List<TaskEvent>> e : expected.entrySet()) {
            List<TaskEvent> got = actual.getOrDefault(e.getKey(), List.of());
            assertThat(got).as("events of %s", e.getKey().getTaskId()).isEqualTo(e.getValue());
            TransitionRulesProperties.assertSafety(got);
            // Independent of the oracle: a task whose snapshots include a terminal one has exactly one terminal event.
            boolean ended = perTask.get(e.getKey()).stream().anyMatch(s -> TaskStatuses.isTerminal(s.getStatus()));
            assertThat(got.stream().filter(ev -> ev.getType() == TaskEventType.COMPLETED
                    || ev.getType() == TaskEventType.FAILED || ev.getType() == TaskEventType.CANCELED).count())
                    .as("terminal events of %s", e.getKey().getTaskId()).isEqualTo(ended ? 1 : 0);
            expectedCount += e.getValue().size();
        }
        assertThat(actual.keySet()).isSubsetOf(expected.keySet());
        assertThat(ids).hasSize(expectedCount);
        for (TaskEventType type : Topics.PER_TYPE) {
            List<String> perType = out.get(TOPICS.eventsOf(type)).stream()
                    .map(r -> values.deserializer().deserialize(r.topic(), r.value()).getEventId()).sorted().toList();
            List<String> ofType = expected.values().stream().flatMap(List::stream).filter(ev -> ev.getType() == type)
                    .map(TaskEvent::getEventId).sorted().toList();
            assertThat(perType).as("topic of %s", type).isEqualTo(ofType);
        }
        assertThat(out.get(TOPICS.snapshotsDlq())).as("dead letters").hasSize(garbage);
        long terminalTasks = expected.values().stream().filter(l -> l.stream().anyMatch(ev -> ev.getType()
                == TaskEventType.COMPLETED || ev.getType() == TaskEventType.FAILED
                || ev.getType() == TaskEventType.CANCELED)).count();
        assertThat(terminalTasks).as("the scenario ends most tasks").isGreaterThan(TASKS / 2);
    }

    private static void awaitCondition(String what, Duration timeout, Check check) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception e) {
                // retried until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }
}
