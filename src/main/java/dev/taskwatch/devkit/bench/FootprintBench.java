package dev.taskwatch.devkit.bench;

import dev.taskwatch.model.Topics;
import dev.taskwatch.transitions.TransitionSettings;
import dev.taskwatch.transitions.TransitionStreamsConfig;
import dev.taskwatch.transitions.TransitionTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Benchmark 5: the transitions topology (exactly-once) tracking N tasks. Per round, with a fresh application.id: load
 * one snapshot per task; heap used after a full GC while it runs, minus the same before it started (the in-process
 * broker shares the heap, so this is the growth, not the application alone; RocksDB itself lives off-heap); the size of
 * the state directory on disk after a clean close (all files, and the SST files alone); then delete the state
 * directory and start again: time from start to RUNNING and to the end of the restoration from the changelog.
 */
final class FootprintBench {

    private final BenchKafka kafka;
    private final Map<String, ?> serdeConfig;
    private final Path workDir;
    private final Topics topics = new Topics("bench.footprint.");
    private final int tasks;
    private Map<TopicPartition, Long> end;

    /** One round's figures. */
    record Round(double heapUsedMib, double heapGrowthMib, long stateBytes, long sstBytes, double runningSeconds,
            double restoredSeconds, long restoredRecords) {}

    FootprintBench(BenchKafka kafka, Map<String, ?> serdeConfig, Path workDir, int tasks) {
        this.kafka = kafka;
        this.serdeConfig = serdeConfig;
        this.workDir = workDir;
        this.tasks = tasks;
    }

    void prepare() {
        kafka.createTopics(topics.all(), StreamsThroughputBench.PARTITIONS);
        kafka.produce(topics.snapshots(), new SnapshotInput(tasks, tasks), serdeConfig);
        end = kafka.endOffsets(topics.snapshots());
    }

    Round round() throws InterruptedException {
        String appId = "bench-footprint-" + System.nanoTime();
        Path stateDir = tempDir(appId);
        Path restoreDir = tempDir(appId + "-restore");
        try {
            double heapBefore = heapUsedMib();
            double heapUsed;
            try (BenchKafka.StreamsRun run = new BenchKafka.StreamsRun(topology(appId),
                    props(appId, stateDir)).start()) {
                kafka.awaitCaughtUp(run, appId, end, Duration.ofMinutes(10));
                heapUsed = heapUsedMib();
            }
            long stateBytes = BenchKafka.sizeOf(stateDir);
            long sstBytes = sstSize(stateDir);
            BenchKafka.deleteRecursively(stateDir);

            AtomicLong restored = new AtomicLong();
            AtomicInteger started = new AtomicInteger();
            AtomicInteger ended = new AtomicInteger();
            AtomicLong lastEnd = new AtomicLong();
            try (BenchKafka.StreamsRun run = new BenchKafka.StreamsRun(topology(appId), props(appId, restoreDir))) {
                run.streams.setGlobalStateRestoreListener(new StateRestoreListener() {
                    @Override
                    public void onRestoreStart(TopicPartition tp, String store, long start, long endOffset) {
                        started.incrementAndGet();
                    }

                    @Override
                    public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long n) {
                        restored.addAndGet(n);
                    }

                    @Override
                    public void onRestoreEnd(TopicPartition tp, String store, long total) {
                        lastEnd.set(System.nanoTime());
                        ended.incrementAndGet();
                    }
                });
                run.start();
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (run.runningNanos == 0 || restored.get() < tasks || ended.get() < started.get()) {
                    run.check();
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Restoring " + tasks + " task states took over 5 minutes ("
                                + restored.get() + " restored)");
                    }
                    Thread.sleep(10);
                }
                double running = (run.runningNanos - run.startedNanos) / 1e9;
                double restoredAt = (Math.max(run.runningNanos, lastEnd.get()) - run.startedNanos) / 1e9;
                return new Round(heapUsed, heapUsed - heapBefore, stateBytes, sstBytes, running, restoredAt,
                        restored.get());
            }
        } finally {
            BenchKafka.deleteRecursively(stateDir);
            BenchKafka.deleteRecursively(restoreDir);
        }
    }

    private org.apache.kafka.streams.Topology topology(String appId) {
        return TransitionTopology.build(topics, settings(appId, null), serdeConfig, new SimpleMeterRegistry());
    }

    private Properties props(String appId, Path stateDir) {
        return TransitionStreamsConfig.properties(kafka.bootstrapServers(), settings(appId, stateDir), Map.of());
    }

    private static TransitionSettings settings(String appId, Path stateDir) {
        return TransitionSettings.defaults().withApplicationId(appId).withStateDir(stateDir);
    }

    private Path tempDir(String name) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long sstSize(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sst")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double heapUsedMib() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    int tasks() {
        return tasks;
    }
}
