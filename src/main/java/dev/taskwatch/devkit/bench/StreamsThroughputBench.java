package dev.taskwatch.devkit.bench;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.transitions.TransitionSettings;
import dev.taskwatch.transitions.TransitionStreamsConfig;
import dev.taskwatch.transitions.TransitionTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmarks 1 and 2: the same pre-produced snapshot topic through the transitions topology (exactly-once and
 * at-least-once) and through a passthrough Streams application (exactly-once) that only deserializes and re-serializes
 * each record with the same Avro serdes. Throughput = input records / time from {@code KafkaStreams.start()} until the
 * application's committed offsets reach the end of the input; each run has a fresh application.id and state dir. The
 * variants alternate within every round, so that a slow phase of the machine hits all of them alike.
 */
final class StreamsThroughputBench {

    private static final Logger log = LoggerFactory.getLogger(StreamsThroughputBench.class);

    /** Same for every variant, so that only the processing guarantee differs (Kafka's EOS default is 100 ms). */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    static final int PARTITIONS = 6;

    enum Variant {
        TOPOLOGY_EOS("topology (exactly_once_v2)"),
        PASSTHROUGH_EOS("passthrough (exactly_once_v2)"),
        TOPOLOGY_ALOS("topology (at_least_once)");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    private final BenchKafka kafka;
    private final Map<String, ?> serdeConfig;
    private final Path workDir;
    private final Topics topics = new Topics("bench.throughput.");
    private final String passthroughOutput = "bench.throughput.passthrough-out";
    private SnapshotInput input;
    private Map<TopicPartition, Long> end;
    private int runCounter;

    StreamsThroughputBench(BenchKafka kafka, Map<String, ?> serdeConfig, Path workDir) {
        this.kafka = kafka;
        this.serdeConfig = serdeConfig;
        this.workDir = workDir;
    }

    /** Creates the topics and produces the input once. */
    void prepare(BenchSize size) {
        List<String> names = new ArrayList<>(topics.all());
        names.add(passthroughOutput);
        kafka.createTopics(names, PARTITIONS);
        input = new SnapshotInput(size.snapshots(), size.tasks());
        long t0 = System.nanoTime();
        kafka.produce(topics.snapshots(), input, serdeConfig);
        end = kafka.endOffsets(topics.snapshots());
        long total = end.values().stream().mapToLong(Long::longValue).sum();
        if (total != size.snapshots()) {
            throw new IllegalStateException("Input topic holds " + total + " records, expected " + size.snapshots());
        }
        log.info("Benchmark input: {} snapshots of {} tasks ({} duplicates, {} changes) produced in {} ms",
                input.snapshots(), input.tasks(), input.duplicates(), input.changes(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * One run: time from start to caught up, and from start to RUNNING (start-up: group join, task creation,
     * changelog topic creation, store opening; processing begins once RUNNING).
     */
    record Run(Duration caughtUp, Duration startup) {}

    /** Per variant, the measured runs. */
    record Measurements(Map<Variant, List<Double>> rates, Map<Variant, List<Double>> startupSeconds,
            Map<Variant, List<Double>> processingRates) {}

    /** Runs the variants, {@code warmup} unmeasured rounds then {@code rounds} measured ones. */
    Measurements measure(List<Variant> variants, int warmup, int rounds, Consumer<String> progress)
            throws InterruptedException {
        Measurements m = new Measurements(new EnumMap<>(Variant.class), new EnumMap<>(Variant.class),
                new EnumMap<>(Variant.class));
        for (Variant v : variants) {
            m.rates().put(v, new ArrayList<>());
            m.startupSeconds().put(v, new ArrayList<>());
            m.processingRates().put(v, new ArrayList<>());
        }
        for (int round = 0; round < warmup + rounds; round++) {
            boolean measured = round >= warmup;
            for (Variant v : variants) {
                Run run = runOnce(v);
                double rate = input.snapshots() / (run.caughtUp().toNanos() / 1e9);
                double processing = input.snapshots() / (run.caughtUp().minus(run.startup()).toNanos() / 1e9);
                progress.accept(String.format("%s round %d%s: %.0f records/s (%d ms, of which %d ms start-up)",
                        v.label, round + 1, measured ? "" : " (warm-up)", rate, run.caughtUp().toMillis(),
                        run.startup().toMillis()));
                if (measured) {
                    m.rates().get(v).add(rate);
                    m.startupSeconds().get(v).add(run.startup().toNanos() / 1e9);
                    m.processingRates().get(v).add(processing);
                }
            }
        }
        return m;
    }

    Run runOnce(Variant variant) throws InterruptedException {
        String appId = "bench-" + variant.name().toLowerCase() + "-" + (++runCounter) + "-" + System.nanoTime();
        Path stateDir = newStateDir(appId);
        try {
            String guarantee = variant == Variant.TOPOLOGY_ALOS ? TransitionSettings.AT_LEAST_ONCE
                    : TransitionSettings.EXACTLY_ONCE_V2;
            TransitionSettings settings = TransitionSettings.defaults().withApplicationId(appId)
                    .withProcessingGuarantee(guarantee).withStateDir(stateDir).withCommitInterval(COMMIT_INTERVAL);
            Properties props = TransitionStreamsConfig.properties(kafka.bootstrapServers(), settings, Map.of());
            Topology topology = variant == Variant.PASSTHROUGH_EOS ? passthrough()
                    : TransitionTopology.build(topics, settings, serdeConfig, new SimpleMeterRegistry());
            try (BenchKafka.StreamsRun run = new BenchKafka.StreamsRun(topology, props).start()) {
                Duration caughtUp = kafka.awaitCaughtUp(run, appId, end, Duration.ofMinutes(10));
                return new Run(caughtUp, Duration.ofNanos(run.runningNanos - run.startedNanos));
            }
        } finally {
            BenchKafka.deleteRecursively(stateDir);
        }
    }

    /** Deserializes key and value and re-serializes them, nothing else: the floor any Streams app on this input pays. */
    Topology passthrough() {
        Topology t = new Topology();
        t.addSource("source", AvroSerdes.specific(TaskKey.class, serdeConfig, true).deserializer(),
                AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false).deserializer(), topics.snapshots());
        t.addSink("sink", passthroughOutput, AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer(),
                AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false).serializer(), "source");
        return t;
    }

    private Path newStateDir(String appId) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, appId + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SnapshotInput input() {
        return input;
    }
}
