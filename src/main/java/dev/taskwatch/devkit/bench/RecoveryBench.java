package dev.taskwatch.devkit.bench;

import dev.taskwatch.model.Topics;
import dev.taskwatch.devkit.embedded.EmbeddedDataDir;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.transitions.TransitionSettings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;

/**
 * Recovery after {@code kill -9}: the real jar as a subprocess ({@code taskwatch run}), SIGKILLed and restarted at once
 * on the same data directory, timed from the restart to the first event a {@code read_committed} consumer receives
 * that the restarted process made (record timestamp not before the restart: events carry the timestamp of the
 * snapshot they came from, and a snapshot of the restarted process is younger than the restart).
 *
 * <p>Two modes: production (Kafka outside the process: the bench's broker; tasks from a scripted simulator that
 * changes one task every {@link #STEP}) and the embedded default ({@code run} with nothing configured: its own broker,
 * registry and simulator, all restarted with it).
 */
final class RecoveryBench {

    /** One task changes this often in production mode, so the next event after recovery is at most this far. */
    static final Duration STEP = Duration.ofMillis(500);
    /** How long a process runs (and publishes) before it is killed. */
    static final Duration UP = Duration.ofSeconds(8);
    static final Duration GIVE_UP = Duration.ofSeconds(300);
    /** Partitions of every topic in production mode (and so of the transitions changelog). */
    static final int PARTITIONS = 2;

    private final Path jar;
    private final Path workDir;
    private final Map<Process, Path> stderrOf = new java.util.concurrent.ConcurrentHashMap<>();

    RecoveryBench(Path jar, Path workDir) {
        this.jar = jar;
        // absolute: the processes it starts run in a directory of their own, and the embedded mode watches for the
        // address file under the data directory it passed them (a relative one would land under their directory)
        this.workDir = workDir.toAbsolutePath();
    }

    /**
     * The jar to start: {@code -Dtaskwatch.bench.jar=PATH} (to measure another build, e.g. before and after a change,
     * with the same bench), else the jar this JVM runs from, else {@code target/taskwatch.jar} (IDE, tests).
     */
    static Path currentJar() {
        String other = System.getProperty("taskwatch.bench.jar");
        if (other != null && !other.isBlank()) {
            Path jar = Path.of(other).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("taskwatch.bench.jar: no such file " + jar);
            }
            return jar;
        }
        try {
            Path self = Path.of(RecoveryBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self) && self.toString().endsWith(".jar") && runnable(self)) {
                return self;
            }
        } catch (URISyntaxException | SecurityException | IOException e) {
            // fall through to the build output
        }
        Path built = Path.of("target", "taskwatch.jar").toAbsolutePath();
        if (!Files.isRegularFile(built)) {
            throw new IllegalStateException("recovery bench: no taskwatch jar to start (run from `java -jar "
                    + "target/taskwatch.jar bench`, or build it with `mvn package`)");
        }
        return built;
    }

    /**
     * Whether {@code jar} starts with {@code java -jar}: Maven's integration tests run from the build's plain jar,
     * which has the classes but no Main-Class, next to the runnable one.
     */
    private static boolean runnable(Path jar) throws IOException {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            java.util.jar.Manifest manifest = file.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue("Main-Class") != null;
        }
    }

    /** Production mode: {@code rounds} kill -9 and restart of one process, against {@code bootstrap}. */
    List<Double> production(String bootstrap, int rounds, java.util.function.Consumer<String> progress)
            throws Exception {
        return production(bootstrap, new Topics("recovery."), TransitionSettings.DEFAULT_APPLICATION_ID,
                "recovery (production)", rounds, progress);
    }

    /**
     * Production mode on the given topics and transitions application id, so that a caller can fill the
     * application's changelog before the first start (RestoreBench); {@code label} names the rounds in the progress
     * lines and the work directory. Topics the process finds missing it creates with {@link #PARTITIONS} partitions.
     */
    List<Double> production(String bootstrap, Topics topics, String applicationId, String label, int rounds,
            java.util.function.Consumer<String> progress) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(label.replaceAll("[^A-Za-z0-9]+", "-")));
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withNotFoundGrace(Duration.ZERO)); Script script = new Script(simulator)) {
            Path config = dir.resolve("taskwatch.yaml");
            Files.writeString(config, config(bootstrap, topics, applicationId, simulator), StandardCharsets.UTF_8);
            String[] args = {"run", "--config", config.toString(), "--data-dir", dir.resolve("data").toString(),
                "--print-events", "none"};
            script.start();
            Process process = spawn(dir, 0, args);
            try (CommittedEvents events = new CommittedEvents(bootstrap, topics.events(), Map.of())) {
                awaitEvent(events, process, 0, System.nanoTime() + GIVE_UP.toNanos());
                List<Double> times = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    Thread.sleep(UP.toMillis());
                    kill(process);
                    long restartedMs = System.currentTimeMillis();
                    long restarted = System.nanoTime();
                    process = spawn(dir, round, args);
                    long at = awaitEvent(events, process, restartedMs, restarted + GIVE_UP.toNanos());
                    times.add((at - restarted) / 1e9);
                    progress.accept(String.format("%s round %d: %.1f s to the next committed event", label,
                            round, (at - restarted) / 1e9));
                }
                return times;
            } finally {
                stop(process);
            }
        }
    }

    /**
     * Embedded default: {@code run} with no configuration. Its broker dies with it, so each life gets a new consumer,
     * started from the positions the previous one had reached, once the restarted process names its broker address.
     */
    List<Double> embedded(int rounds, java.util.function.Consumer<String> progress) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("recovery-embedded"));
        Path data = dir.resolve("data");
        String[] args = {"run", "--data-dir", data.toString(), "--print-events", "none"};
        Process process = spawn(dir, 0, args);
        Map<TopicPartition, Long> positions = Map.of();
        try {
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            try (CommittedEvents events = new CommittedEvents(awaitBootstrap(data, process, deadline),
                    Topics.defaults().events(), positions)) {
                awaitEvent(events, process, 0, deadline);
                Thread.sleep(UP.toMillis());
                kill(process);
                positions = events.positions();
            }
            List<Double> times = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                // the killed process could not delete its address file; the restarted one writes a new one
                Files.deleteIfExists(data.resolve(EmbeddedDataDir.BOOTSTRAP_FILE));
                long restartedMs = System.currentTimeMillis();
                long restarted = System.nanoTime();
                process = spawn(dir, round, args);
                deadline = restarted + GIVE_UP.toNanos();
                try (CommittedEvents events = new CommittedEvents(awaitBootstrap(data, process, deadline),
                        Topics.defaults().events(), positions)) {
                    long at = awaitEvent(events, process, restartedMs, deadline);
                    times.add((at - restarted) / 1e9);
                    progress.accept(String.format("recovery (embedded) round %d: %.1f s to the next committed event",
                            round, (at - restarted) / 1e9));
                    if (round < rounds) {
                        Thread.sleep(UP.toMillis());
                        kill(process);
                        positions = events.positions();
                    }
                }
            }
            return times;
        } finally {
            stop(process);
        }
    }

    private Process spawn(Path dir, int life, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("life-" + life + ".out").toFile())
                .redirectError(dir.resolve("life-" + life + ".err").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("TASKWATCH_"));
        Process process = builder.start();
        stderrOf.put(process, dir.resolve("life-" + life + ".err"));
        return process;
    }

    private static void kill(Process process) throws InterruptedException {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of anything
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill(process);
        }
    }

    private String awaitBootstrap(Path data, Process process, long deadline) throws Exception {
        Path file = data.resolve(EmbeddedDataDir.BOOTSTRAP_FILE);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String address = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!address.isEmpty()) {
                    return address;
                }
            }
            requireAlive(process);
            Thread.sleep(20);
        }
        throw new IllegalStateException("recovery bench: the embedded broker did not come up within " + GIVE_UP);
    }

    /** Nano time of the first event with a timestamp of at least {@code sinceMs}. */
    private long awaitEvent(CommittedEvents events, Process process, long sinceMs, long deadline)
            throws InterruptedException {
        while (System.nanoTime() < deadline) {
            long at = events.firstSince(sinceMs);
            if (at != Long.MIN_VALUE) {
                return at;
            }
            requireAlive(process);
            Thread.sleep(10);
        }
        throw new IllegalStateException("recovery bench: no committed event within " + GIVE_UP + " after the start");
    }

    private void requireAlive(Process process) {
        if (!process.isAlive()) {
            Path err = stderrOf.get(process);
            throw new IllegalStateException("recovery bench: taskwatch exited with " + process.exitValue()
                    + "; the end of its stderr (" + err + "):\n" + tail(err));
        }
    }

    /**
     * The last lines of a process's stderr without stack frames: the bench's work directory, where the whole file
     * is, may be deleted before anyone reads it (a test's temporary directory).
     */
    private static String tail(Path err) {
        try {
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.startsWith("\tat ") && !line.startsWith("\t... ")).toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static String config(String bootstrap, Topics topics, String applicationId, Simulator simulator) {
        StringBuilder yaml = new StringBuilder("""
                kafka:
                  bootstrap-servers: %s
                topics:
                  prefix: "%s"
                  partitions: %d
                transitions:
                  application-id: %s
                credentials:
                  sim:
                    type: token
                    token: recovery-token
                    requests-per-second: 50
                http:
                  port: 0
                targets:
                """.formatted(bootstrap, topics.prefix(), PARTITIONS, applicationId));
        for (Service service : List.of(Service.GEMINIDB, Service.OPENGAUSS)) {
            yaml.append("""
                      - service: %s
                        region: eu-de
                        project-id: recovery
                        endpoint: %s
                        credentials: sim
                        interval: 300ms
                        active-interval: 300ms
                        lookback: 1d
                    """.formatted(service.id(), simulator.endpoint(service)));
        }
        return yaml.toString();
    }

    /** Every {@link #STEP} one task moves on (0, 25, 50, 75 %, then COMPLETED); four run at a time. */
    private static final class Script extends Thread implements AutoCloseable {
        private final Simulator simulator;
        private final AtomicBoolean running = new AtomicBoolean(true);

        Script(Simulator simulator) {
            super("recovery-bench-script");
            this.simulator = simulator;
            setDaemon(true);
        }

        @Override
        public void run() {
            Deque<SimTask> live = new ArrayDeque<>();
            Map<String, Integer> progress = new HashMap<>();
            int n = 0;
            try {
                while (running.get()) {
                    if (live.size() < 4) {
                        SimTask task = simulator.tasks().createTask(n++ % 2 == 0 ? Service.GEMINIDB
                                : Service.OPENGAUSS, "recovery", "Resize");
                        live.addLast(task);
                        progress.put(task.id(), 0);
                    } else {
                        SimTask task = live.removeFirst();
                        int next = progress.get(task.id()) + 25;
                        if (next >= 100) {
                            simulator.tasks().complete(task.id());
                            progress.remove(task.id());
                        } else {
                            simulator.tasks().setProgress(task.id(), next);
                            progress.put(task.id(), next);
                            live.addLast(task);
                        }
                    }
                    Thread.sleep(STEP.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            interrupt();
            join(5_000);
        }
    }
}
