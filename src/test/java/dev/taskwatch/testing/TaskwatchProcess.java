package dev.taskwatch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code java -jar target/taskwatch.jar ...} JVM as a user or operator starts it, for the end-to-end ITs, with its
 * stdout (events) and stderr (logs) redirected to files in a work directory (pipes lose their last lines when the
 * process exits while a reader is blocked in them). {@code TASKWATCH_*} variables of the test's environment are not
 * passed on.
 */
public record TaskwatchProcess(Process process, Path out, Path err) {

    /**
     * Bound of every wait for a line. Generous on purpose: on the shared 2-core machine under load a fresh JVM plus
     * the embedded broker alone took 28 s and the start line came after 60 s (RunFatalFailureIT failed waiting for
     * it); this bound only decides how soon a broken start is reported, never what passes.
     */
    public static final Duration WAIT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static int count;

    public static TaskwatchProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, java.util.Map.of(), args);
    }

    /** With {@code env} added to the (TASKWATCH_*-free) environment, e.g. a group instance id. */
    public static TaskwatchProcess start(Path workDir, java.util.Map<String, String> env, String... args)
            throws IOException {
        Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/taskwatch.jar").toAbsolutePath();
        assertThat(jar).as("built by `mvn package` before the ITs").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(args));
        int n;
        synchronized (TaskwatchProcess.class) {
            n = ++count;
        }
        Path out = workDir.resolve(args[0] + "-" + n + ".out");
        Path err = workDir.resolve(args[0] + "-" + n + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("TASKWATCH_"));
        builder.environment().putAll(env);
        return new TaskwatchProcess(builder.start(), out, err);
    }

    private static List<String> read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            // a line is complete once its newline is written
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : text.substring(0, end).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> stdoutLines() {
        return read(out);
    }

    /** "task_id TYPE" of every printed jsonl event, in order. */
    public List<String> events() {
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

    public List<String> stderrLines() {
        return read(err);
    }

    public String stderr() {
        return String.join("\n", read(err));
    }

    public String stderrTail() {
        List<String> lines = read(err);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** Waits up to {@link #WAIT} for a stderr line; fails early when the process exits without it. */
    public void awaitStderr(Predicate<String> condition) throws InterruptedException {
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

    /** Waits up to {@link #WAIT} until {@code event} ("task_id TYPE") is printed; fails early if the process exits. */
    public void awaitEvent(String event) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!events().contains(event)) {
            if (System.nanoTime() > deadline) {
                fail("No " + event + " within " + WAIT + "; events so far: " + events() + "\nstderr:\n"
                        + stderrTail());
            }
            if (!process.isAlive()) {
                fail("taskwatch exited with " + process.exitValue() + "\nstderr:\n" + stderrTail());
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM; asserts the process stops within 30 s with 0 or 143 and logs its clean stop. */
    public void stopCleanly() throws InterruptedException {
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stops within 30 s of SIGTERM").isTrue();
        // 143 = 128 + SIGTERM, what the JVM reports after its shutdown hooks ran
        assertThat(process.exitValue()).isIn(0, 143);
        awaitStderr(line -> line.contains("taskwatch stopped cleanly"));
    }

    /** Kills the process (test cleanup), waiting a bounded time. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
