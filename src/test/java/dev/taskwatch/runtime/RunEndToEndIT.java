package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwatch.simulator.SimTask;
import dev.taskwatch.simulator.Simulator;
import dev.taskwatch.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/taskwatch.jar run} as a user starts it, in embedded mode (no Kafka, no registry configured)
 * on a temporary data directory, polling a scripted simulator: every kind of transition comes out exactly once as
 * JSON lines; after SIGTERM and a restart on the same data directory only new transitions are printed.
 */
class RunEndToEndIT {

    private static final String PROJECT = "p1";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Simulator simulator;
    private RunningProcess run;

    @AfterEach
    void stop() throws InterruptedException {
        if (run != null) {
            run.process.destroyForcibly();
            run.process.waitFor(10, TimeUnit.SECONDS);
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void shouldEmitEveryTransitionOnceAndNothingTwiceAfterARestart() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withNotFoundGrace(Duration.ZERO));
        Path config = Files.writeString(dir.resolve("taskwatch.yaml"), config());
        Path data = dir.resolve("data");

        run = RunningProcess.start(dir, "run", "--config", config.toString(), "--data-dir", data.toString(),
                "--print-events", "jsonl");
        run.awaitStderr(line -> line.contains("started:"));
        assertThat(data.resolve(TaskwatchRuntime.BOOTSTRAP_FILE)).exists();

        List<String> expected = new ArrayList<>();
        SimTask gemini = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "Resize");
        expect(expected, gemini, "STARTED");
        simulator.tasks().setProgress(gemini.id(), 50);
        expect(expected, gemini, "PROGRESSED");
        simulator.tasks().complete(gemini.id());
        expect(expected, gemini, "COMPLETED");

        SimTask opengauss = simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "Backup");
        expect(expected, opengauss, "STARTED");
        simulator.tasks().fail(opengauss.id(), "Insufficient quota");
        expect(expected, opengauss, "FAILED");

        SimTask canceled = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "Restart");
        expect(expected, canceled, "STARTED");
        simulator.tasks().cancel(canceled.id());
        expect(expected, canceled, "CANCELED");

        SimTask dds = simulator.tasks().createTask(Service.DDS, PROJECT, "Create_MongoDB");
        expect(expected, dds, "STARTED");
        simulator.tasks().complete(dds.id());
        expect(expected, dds, "COMPLETED");

        // TaurusDB has no list API: it is polled once somebody asks for the id, here with `taskwatch watch`,
        // which finds the running broker and registry through the data directory
        SimTask taurus = simulator.tasks().createTask(Service.TAURUSDB, PROJECT, "Upgrade");
        RunningProcess watch = RunningProcess.start(dir, "watch", "--data-dir", data.toString(), "--service",
                "taurusdb", "--region", "eu-de", "--project", PROJECT, "--task-id", taurus.id(),
                "--requested-by", "RunEndToEndIT");
        assertThat(watch.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(watch.process.exitValue()).as(watch.stderr()).isZero();
        expect(expected, taurus, "STARTED");
        simulator.tasks().complete(taurus.id());
        expect(expected, taurus, "COMPLETED");

        Thread.sleep(2_000); // a few more poll cycles: nothing may be repeated
        assertThat(run.events()).containsExactlyElementsOf(expected);
        assertThat(run.stdoutLines()).allSatisfy(line -> assertThat(JSON.readTree(line).get("event_id")).isNotNull());

        stopCleanly(run);

        run = RunningProcess.start(dir, "run", "--config", config.toString(), "--data-dir", data.toString(),
                "--print-events", "jsonl");
        run.awaitStderr(line -> line.contains("started:"));
        SimTask after = simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "Restore");
        List<String> afterRestart = new ArrayList<>();
        expect(afterRestart, after, "STARTED");
        Thread.sleep(2_000);

        assertThat(run.events()).containsExactly(afterRestart.get(0));
        stopCleanly(run);
        run = null;
    }

    private void expect(List<String> expected, SimTask task, String type) throws InterruptedException {
        String event = task.id() + " " + type;
        expected.add(event);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!run.events().contains(event)) {
            if (System.nanoTime() > deadline) {
                fail("No " + event + " (" + task.service() + ") within " + WAIT + "; events so far: " + run.events()
                        + "\nstderr:\n" + run.stderrTail());
            }
            if (!run.process.isAlive()) {
                fail("taskwatch run exited with " + run.process.exitValue() + "\nstderr:\n" + run.stderrTail());
            }
            Thread.sleep(100);
        }
    }

    private static void stopCleanly(RunningProcess p) throws InterruptedException {
        p.process.destroy(); // SIGTERM
        assertThat(p.process.waitFor(30, TimeUnit.SECONDS)).as("stops within 30 s of SIGTERM").isTrue();
        // 143 = 128 + SIGTERM, what the JVM reports after its shutdown hooks ran
        assertThat(p.process.exitValue()).isIn(0, 143);
        p.awaitStderr(line -> line.contains("taskwatch stopped cleanly"));
    }

    private String config() {
        StringBuilder yaml = new StringBuilder("""
                credentials:
                  sim:
                    type: token
                    token: e2e-token
                    requests-per-second: 50
                http:
                  port: 0
                transitions:
                  commit-interval: 200ms
                targets:
                """);
        for (Service service : Service.values()) {
            yaml.append("""
                      - service: %s
                        region: eu-de
                        project-id: %s
                        endpoint: %s
                        credentials: sim
                        interval: 300ms
                        active-interval: 300ms
                        lookback: 1d
                    """.formatted(service.id(), PROJECT, simulator.endpoint(service)));
        }
        return yaml.toString();
    }

    /**
     * A taskwatch JVM with its stdout (events) and stderr (logs) redirected to files (pipes lose their last lines when
     * the process exits while a reader is blocked in them).
     */
    private record RunningProcess(Process process, Path out, Path err) {

        private static int count;

        static RunningProcess start(Path workDir, String... args) throws IOException {
            Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/taskwatch.jar").toAbsolutePath();
            assertThat(jar).as("built by `mvn package` before the ITs").exists();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
            command.addAll(List.of(args));
            int n = ++count;
            Path out = workDir.resolve(args[0] + "-" + n + ".out");
            Path err = workDir.resolve(args[0] + "-" + n + ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("TASKWATCH_"));
            return new RunningProcess(builder.start(), out, err);
        }

        private static List<String> read(Path file) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                // a line is complete once its newline is written
                int end = text.lastIndexOf('\n');
                return end < 0 ? List.of() : text.substring(0, end).lines().toList();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        List<String> stdoutLines() {
            return read(out);
        }

        /** "task_id TYPE" of every printed event, in order. */
        List<String> events() {
            List<String> events = new ArrayList<>();
            for (String line : stdoutLines()) {
                try {
                    JsonNode event = JSON.readTree(line);
                    events.add(event.get("task_id").asText() + " " + event.get("type").asText());
                } catch (IOException e) {
                    throw new AssertionError("Not a JSON line on stdout: " + line, e);
                }
            }
            return events;
        }

        String stderr() {
            return String.join("\n", read(err));
        }

        String stderrTail() {
            List<String> lines = read(err);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }

        void awaitStderr(Predicate<String> condition) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (read(err).stream().noneMatch(condition)) {
                if (System.nanoTime() > deadline) {
                    fail("Expected line not seen on stderr within " + WAIT + ":\n" + stderrTail());
                }
                if (!process.isAlive() && read(err).stream().noneMatch(condition)) {
                    fail("Process exited with " + process.exitValue() + ":\n" + stderrTail());
                }
                Thread.sleep(100);
            }
        }
    }
}
