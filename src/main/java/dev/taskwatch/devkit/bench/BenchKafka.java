package dev.taskwatch.devkit.bench;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.partition.TaskKeyPartitioner;
import dev.taskwatch.serde.AvroSerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/** Kafka plumbing shared by the benchmarks: topics, input production, committed-offset tracking, Streams runs. */
final class BenchKafka implements AutoCloseable {

    private final String bootstrapServers;
    private final Admin admin;

    BenchKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Map<String, Object> clientProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    void createTopics(Collection<String> names, int partitions) {
        List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList();
        try {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topics " + names + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topics " + names + ": " + e, e);
        }
        awaitLeaders(names);
    }

    /**
     * Waits until every partition of {@code names} has a leader: producing into a partition whose leadership is still
     * settling gets NOT_LEADER_OR_FOLLOWER and, with retries, out-of-sequence errors on a loaded machine.
     */
    private void awaitLeaders(Collection<String> names) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try {
            while (true) {
                if (leadersKnown(names)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topics " + names + " have no leader after 60 s");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Cannot describe topics " + names + ": " + e, e);
        }
    }

    /**
     * Whether every partition of {@code names} has a leader. A topic the controller has just created may still be
     * unknown to the broker that answers (its metadata lags the controller's by moments), which is "not yet", not a
     * failure.
     */
    private boolean leadersKnown(Collection<String> names) throws InterruptedException, ExecutionException {
        try {
            return admin.describeTopics(names).allTopicNames().get().values().stream()
                    .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null
                            && !p.leader().isEmpty()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    /** Produces the whole input (acks=all, idempotent, like the poller) and waits until every record is written. */
    void produce(String topic, SnapshotInput input, Map<String, ?> serdeConfig) {
        Map<String, Object> config = clientProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, TaskKeyPartitioner.class.getName());
        // One request in flight: a retried batch cannot land out of sequence behind a later one on a loaded broker.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<TaskKey, TaskSnapshot> producer = new KafkaProducer<>(config,
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer(),
                AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false).serializer())) {
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicLong acked = new AtomicLong();
            input.generate(s -> producer.send(new ProducerRecord<>(topic, SnapshotInput.keyOf(s), s), (m, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    acked.incrementAndGet();
                }
            }));
            producer.flush();
            if (failure.get() != null || acked.get() != input.snapshots()) {
                throw new IllegalStateException("Producing the benchmark input to " + topic + " failed: "
                        + acked.get() + " of " + input.snapshots() + " acknowledged", failure.get());
            }
        }
    }

    boolean topicExists(String topic) {
        try {
            return admin.listTopics().names().get().contains(topic);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Cannot list topics: " + e, e);
        }
    }

    /** A topic's configuration value for {@code key}, as the broker reports it (set or default). */
    String topicConfig(String topic, String key) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(key).value();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Cannot describe the configuration of " + topic + ": " + e, e);
        }
    }

    /** The bytes the broker holds for {@code topic}, over all its partitions and log directories. */
    long logBytes(String topic) {
        try {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
            return admin.describeLogDirs(brokers).allDescriptions().get().values().stream()
                    .flatMap(dirs -> dirs.values().stream())
                    .flatMap(dir -> dir.replicaInfos().entrySet().stream())
                    .filter(e -> e.getKey().topic().equals(topic)).mapToLong(e -> e.getValue().size()).sum();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Cannot describe the log directories: " + e, e);
        }
    }

    Map<TopicPartition, Long> endOffsets(String topic) {
        try {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get()
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            partitions.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(specs).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            return end;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Cannot read the end offsets of " + topic + ": " + e, e);
        }
    }

    /** Whether group {@code groupId} has committed offsets at or past {@code end} on every partition. */
    boolean caughtUp(String groupId, Map<TopicPartition, Long> end) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get();
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                if (e.getValue() == 0) {
                    continue;
                }
                OffsetAndMetadata c = committed.get(e.getKey());
                if (c == null || c.offset() < e.getValue()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** A started Streams application with the times it reached RUNNING and failed, if it did. */
    static final class StreamsRun implements AutoCloseable {
        final KafkaStreams streams;
        final long startedNanos;
        volatile long runningNanos;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        StreamsRun(Topology topology, Properties props) {
            this.streams = new KafkaStreams(topology, props);
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.setStateListener((next, previous) -> {
                if (next == KafkaStreams.State.RUNNING && runningNanos == 0) {
                    runningNanos = System.nanoTime();
                }
            });
            this.startedNanos = System.nanoTime();
        }

        StreamsRun start() {
            streams.start();
            return this;
        }

        void check() {
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException("Streams application failed: " + t, t);
            }
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("Streams application stopped: " + state);
            }
        }

        @Override
        public void close() {
            streams.close(CloseOptions.timeout(Duration.ofSeconds(60))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }

    /**
     * Waits until {@code run}'s group committed the end of the input; returns the elapsed time since its start.
     * Checked every 20 ms.
     */
    Duration awaitCaughtUp(StreamsRun run, String groupId, Map<TopicPartition, Long> end, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            run.check();
            if (caughtUp(groupId, end)) {
                return Duration.ofNanos(System.nanoTime() - run.startedNanos);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Group " + groupId + " did not commit the end of its input within "
                        + timeout);
            }
            Thread.sleep(20);
        }
    }

    static long sizeOf(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        AtomicLong total = new AtomicLong();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total.addAndGet(attrs.size());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total.get();
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
    }
}
