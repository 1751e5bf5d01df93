package dev.taskwatch.devkit.bench;

import dev.taskwatch.model.Topics;
import dev.taskwatch.transitions.TransitionSettings;
import dev.taskwatch.transitions.TransitionStreamsConfig;
import dev.taskwatch.transitions.TransitionTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Restore at scale: the recovery benchmark's production mode (the real jar, {@code kill -9}, restart on the same data
 * directory, time to the next committed event) with N tasks already tracked in the transitions store. Under
 * exactly-once Kafka Streams finds the killed process's stores without a checkpoint, wipes them and restores them from
 * the changelog before it processes anything, so the restart pays for the whole changelog.
 *
 * <p>Per size, with a topic prefix and application id of its own: one snapshot per task (the footprint benchmark's
 * kind of state) goes through the transitions topology in this JVM, which fills the store's changelog and commits the
 * input, and closes cleanly; then {@link RecoveryBench#production} starts {@code taskwatch run} with that application
 * id, which restores the changelog, follows a scripted simulator, and is killed and restarted {@code rounds} times. The
 * empty store is the baseline measured in the same run.
 */
final class RestoreBench {

    /** The goal of issue 22: a restart after kill -9 with 1,000,000 tracked tasks delivers its next event within it. */
    static final Duration GOAL = Duration.ofSeconds(30);
    private static final double MIB = 1024.0 * 1024.0;

    private final BenchKafka kafka;
    private final Map<String, ?> serdeConfig;
    private final RecoveryBench recovery;
    private final Path workDir;

    RestoreBench(BenchKafka kafka, Map<String, ?> serdeConfig, Path jar, Path workDir) {
        this.kafka = kafka;
        this.serdeConfig = serdeConfig;
        this.workDir = workDir.toAbsolutePath();
        this.recovery = new RecoveryBench(jar, this.workDir);
    }

    /**
     * The sizes one run measures: none (the baseline), the footprint benchmark's size and, outside a smoke run, ten
     * times that (1,000,000 for the full size).
     */
    static List<Integer> sizes(BenchSize size) {
        return size.name().equals("smoke") ? List.of(0, size.footprintTasks())
                : List.of(0, size.footprintTasks(), 10 * size.footprintTasks());
    }

    /**
     * One size's figures: restart times, and the changelog a restart reads (the sum of its end offsets, records plus a
     * transaction marker per partition and commit; its bytes on the broker).
     */
    private record Size(int tasks, List<Double> restarts, double loadSeconds, long changelogOffsets,
            long changelogBytes) {}

    BenchResult measure(List<Integer> sizes, int rounds, Consumer<String> progress) throws Exception {
        List<Size> measured = new ArrayList<>();
        String segmentBytes = "not created";
        for (int tasks : sizes) {
            Topics topics = new Topics("restore-" + tasks + ".");
            String applicationId = "restore-" + tasks;
            long t0 = System.nanoTime();
            load(topics, applicationId, tasks);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            String changelog = applicationId + "-" + TransitionTopology.STORE + "-changelog";
            boolean created = kafka.topicExists(changelog); // not before the application processed a record
            long offsets = created ? kafka.endOffsets(changelog).values().stream().mapToLong(Long::longValue).sum()
                    : 0;
            long bytes = created ? kafka.logBytes(changelog) : 0;
            if (created) {
                // what the application asked for when Streams created the topic (TransitionStreamsConfig)
                segmentBytes = kafka.topicConfig(changelog, "segment.bytes");
            }
            progress.accept(String.format("restore: %,d tracked tasks loaded in %.0f s, changelog end offsets %,d "
                    + "(%.1f MiB); now kill -9 and restart", tasks, loadSeconds, offsets, bytes / MIB));
            List<Double> restarts = recovery.production(kafka.bootstrapServers(), topics, applicationId,
                    String.format("restore %d tasks", tasks), rounds, progress);
            measured.add(new Size(tasks, restarts, loadSeconds, offsets, bytes));
        }
        BenchResult r = result(measured, rounds);
        measured.forEach(m -> r.parameter("changelog_records_" + m.tasks(), m.changelogOffsets())
                .parameter("changelog_bytes_" + m.tasks(), m.changelogBytes()));
        return r.parameter("changelog_segment_bytes", segmentBytes);
    }

    /**
     * Fills application {@code applicationId}'s store with {@code tasks} tracked tasks through the real topology and
     * closes it cleanly, so that its group has committed the input and the process started next reads none of it
     * (those records were written with this JVM's schema ids, which the process's own registry does not know).
     */
    private void load(Topics topics, String applicationId, int tasks) throws InterruptedException, IOException {
        List<String> names = new ArrayList<>(List.of(topics.snapshots(), topics.snapshotsDlq(), topics.events()));
        Topics.PER_TYPE.forEach(type -> names.add(topics.eventsOf(type)));
        // the topics the topology reads and writes; the process creates the rest (compacted positions among them)
        kafka.createTopics(names, RecoveryBench.PARTITIONS);
        if (tasks == 0) {
            return;
        }
        kafka.produce(topics.snapshots(), new SnapshotInput(tasks, tasks), serdeConfig);
        Map<org.apache.kafka.common.TopicPartition, Long> end = kafka.endOffsets(topics.snapshots());
        Files.createDirectories(workDir);
        Path stateDir = Files.createTempDirectory(workDir, applicationId + "-load-");
        TransitionSettings settings = TransitionSettings.defaults().withApplicationId(applicationId)
                .withStateDir(stateDir);
        try (BenchKafka.StreamsRun run = new BenchKafka.StreamsRun(TransitionTopology.build(topics, settings,
                serdeConfig, new SimpleMeterRegistry()), TransitionStreamsConfig.properties(kafka.bootstrapServers(),
                settings, Map.of())).start()) {
            kafka.awaitCaughtUp(run, applicationId, end, Duration.ofMinutes(20));
        } finally {
            BenchKafka.deleteRecursively(stateDir);
        }
    }

    private static BenchResult result(List<Size> measured, int rounds) {
        Size largest = measured.get(measured.size() - 1);
        BenchResult r = new BenchResult("restore", String.format("Restore at scale: restart after kill -9 with "
                + "%,d tracked tasks", largest.tasks()));
        measured.forEach(m -> r.figure(label(m.tasks()), "s", m.restarts()));
        double worst = r.figure(label(largest.tasks())).summary().max();
        r.ratio(String.format("worst restart with %,d tasks / %d s", largest.tasks(), GOAL.toSeconds()),
                worst / GOAL.toSeconds(), 1.0, false, "slowest restart of the largest store, over the goal");
        double empty = r.median(label(0));
        r.note("Against the empty store of the same run (medians): " + String.join("; ", measured.stream()
                .filter(m -> m.tasks() > 0).map(m -> String.format("%,d tasks %+.1f s (%.2f x the empty store's "
                        + "restart), a changelog of %,d offsets and %.1f MiB", m.tasks(),
                        r.median(label(m.tasks())) - empty, r.median(label(m.tasks())) / empty,
                        m.changelogOffsets(), m.changelogBytes() / MIB)).toList()) + ".");
        r.note("Each size: the real jar (`java -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar`) runs "
                + "`taskwatch run` in production mode (the bench's broker, " + RecoveryBench.PARTITIONS
                + " partitions per topic, one stream thread; a single instance, so no standby replica could help) "
                + "for " + RecoveryBench.UP.toSeconds() + " s, is killed with SIGKILL and started again at once on "
                + "the same data directory, " + rounds + " times; the figure is the time from that start to the first "
                + "event a read_committed consumer receives whose snapshot the restarted process polled (a scripted "
                + "simulator moves one task on every " + RecoveryBench.STEP.toMillis() + " ms).");
        r.note("Before the first start, the tracked tasks (one RUNNING snapshot each) went through the transitions "
                + "topology in the bench's JVM under the same application id, which wrote one changelog record per "
                + "task and committed the input; the process restores that changelog at its first start and, since "
                + "exactly-once wipes stores left without a checkpoint, again after every kill. Loading took "
                + String.join(", ", measured.stream().filter(m -> m.tasks() > 0).map(m -> String.format(
                        "%.0f s for %,d tasks", m.loadSeconds(), m.tasks())).toList())
                + " (not part of the figures).");
        r.parameter("kills_per_size", rounds).parameter("partitions", RecoveryBench.PARTITIONS);
        return r;
    }

    private static String label(int tasks) {
        return tasks == 0 ? "empty store (baseline)" : String.format("%,d tracked tasks", tasks);
    }
}
