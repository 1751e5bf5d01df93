package dev.taskwatch.connect;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A distributed Connect worker in a JVM of its own ({@code ConnectDistributed} on the test classpath), so that a test
 * can crash it as an operator's worker crashes: {@link #kill()} is a {@code kill -9}. Unlike an in-process worker
 * stopped by the embedded cluster, it neither leaves the group nor stops its tasks first: the group learns of the
 * crash only when the worker's session expires. Its output goes to {@code worker.log} in its directory.
 */
final class ConnectWorkerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ConnectWorkerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a worker with {@code props} (its REST listener is added, on a free port) in {@code dir} and waits until
     * its REST API answers.
     */
    static ConnectWorkerProcess start(Path dir, Map<String, String> props) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Properties worker = new Properties();
        worker.putAll(props);
        worker.put("listeners", "http://localhost:" + port);
        Files.createDirectories(dir);
        Path file = dir.resolve("worker.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            worker.store(out, "a Connect worker of a test");
        }
        Path log = dir.resolve("worker.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.connect.cli.ConnectDistributed", file.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ConnectWorkerProcess started = new ConnectWorkerProcess(process, port, log);
        HttpClient http = HttpClient.newHttpClient();
        await("the worker in its own JVM to answer on port " + port).atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the worker exited; its log: " + started.logTail());
                    }
                    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
        return started;
    }

    /** Its REST port, which is also the end of its worker id in the status topic. */
    int port() {
        return port;
    }

    /** SIGKILL: no shutdown hook, no group leave, no task stop, no transaction abort. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
