package dev.taskwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry (a Confluent-compatible schema registry) for integration tests: the Quarkus distribution
 * {@code io.apicurio:apicurio-registry-app:<version>:tar.gz:all} that Maven unpacks into {@code ${apicurio.home}}
 * (system property set by failsafe; default {@code target/apicurio}), started as a child JVM on a free loopback port
 * with its default in-memory (H2) storage, and destroyed with its process tree on {@link #close()}.
 *
 * <p>Start it once per test class: it takes a few seconds. The Confluent API is at {@link #ccompatUrl()}.
 */
public final class ApicurioRegistry implements AutoCloseable {

    public static final String HOME_PROPERTY = "apicurio.home";
    /** Upper bound for the start; CI machines can be slow, a healthy start takes 3 to 15 seconds. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final int port;
    private final Path log;
    private final Path workDir;
    private final Duration startupTime;
    private final Thread shutdownHook;

    private ApicurioRegistry(Process process, int port, Path log, Duration startupTime, Thread shutdownHook) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.workDir = log.getParent();
        this.startupTime = startupTime;
        this.shutdownHook = shutdownHook;
    }

    /** Starts the registry and waits until it reports ready. */
    public static ApicurioRegistry start() {
        return start(Path.of(System.getProperty(HOME_PROPERTY, "target/apicurio")));
    }

    /** Starts the registry unpacked in {@code home} and waits until it reports ready. */
    public static ApicurioRegistry start(Path home) {
        Path jar = findRunnerJar(home);
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) { // another process may take the free port before we bind it
            try {
                return startOnce(jar, freePort());
            } catch (PortTakenException e) {
                last = e;
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    /** Root of the Confluent Schema Registry compatible API: {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String ccompatUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /** Root of Apicurio's own v2 API (rules, artifacts). */
    public String v2Url() {
        return "http://127.0.0.1:" + port + "/apis/registry/v2";
    }

    /**
     * Freezes the registry's process ({@code SIGSTOP}): its port still accepts connections, but nothing answers, as
     * with a registry that hangs (GC pause, a stuck node, a network black hole). {@link #thaw()} resumes it with its
     * schemas intact.
     */
    public void freeze() {
        signal("STOP");
    }

    /** Resumes a {@link #freeze() frozen} registry ({@code SIGCONT}). */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted sending SIG" + name + " to the registry", e);
        }
    }

    /** How long the start took until ready. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The last lines of the registry's log (for failure messages). */
    public String logTail() {
        return tail(log);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                thaw(); // a frozen JVM ignores SIGTERM until it runs again
            } catch (RuntimeException ignored) {
                // destroyed below anyway
            }
        }
        destroy(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        deleteRecursively(workDir);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    private static ApicurioRegistry startOnce(Path jar, int port) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("apicurio-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = workDir.resolve("registry.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java,
                // Small and quick to start: this registry holds a handful of schemas per test class.
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.log.console.color=false",
                "-jar", jar.toString());
        Process process;
        long started = System.nanoTime();
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start Apicurio Registry with " + command, e);
        }
        Thread hook = new Thread(() -> destroy(process), "apicurio-registry-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            awaitReady(process, port, log);
        } catch (RuntimeException e) {
            destroy(process);
            Runtime.getRuntime().removeShutdownHook(hook);
            throw e;
        }
        return new ApicurioRegistry(process, port, log, Duration.ofNanos(System.nanoTime() - started), hook);
    }

    private static void awaitReady(Process process, int port, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = tail(log);
                if (tail.contains("already in use") || tail.contains("Port already bound")) {
                    throw new PortTakenException(port, tail);
                }
                throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                        + " before it was ready on port " + port + ". Last lines of " + log + ":\n" + tail);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
            }
        }
        throw new IllegalStateException("Apicurio Registry not ready on port " + port + " within " + START_TIMEOUT
                + ". Last lines of " + log + ":\n" + tail(log));
    }

    private static void destroy(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    private static Path findRunnerJar(Path home) {
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("Apicurio Registry not found: " + home.toAbsolutePath() + " does not exist."
                    + " Run the ITs through Maven (mvn verify unpacks it in pre-integration-test), or set -D"
                    + HOME_PROPERTY + "=<unpacked apicurio-registry-app tar.gz>");
        }
        try (Stream<Path> files = Files.walk(home, 3)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith("-runner.jar") || n.equals("quarkus-run.jar");
            }).sorted().findFirst().orElseThrow(() -> new IllegalStateException("No *-runner.jar or quarkus-run.jar"
                    + " under " + home.toAbsolutePath() + ": is it the unpacked apicurio-registry-app distribution?"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(int port, String tail) {
            super("Port " + port + " was taken before Apicurio Registry could bind it:\n" + tail);
        }
    }
}
