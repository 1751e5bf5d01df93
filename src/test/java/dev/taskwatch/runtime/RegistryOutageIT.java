package dev.taskwatch.runtime;

import dev.taskwatch.testing.LongRunning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwatch.config.ConfigLoader;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.devkit.embedded.EmbeddedEnvironment;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.BrokerAndRegistry;
import dev.taskwatch.testing.SimulatorTargets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 3: a schema registry that hangs mid-run while the transitions application must register a subject
 * for the first time (the first PROGRESSED event needs {@code taskwatch.task-events.progressed-key}). The process is
 * built as {@code run} builds it in production mode (the real Apicurio, an external broker); the registry's process is
 * frozen ({@code SIGSTOP}: connections are accepted, nothing answers), as in the issue. Required: the process stays up,
 * {@code /health/ready} answers 503 naming the registry (without credentials) while it lasts, the stream thread that
 * hit the fault is replaced, the event arrives within seconds of the registry's return, and every event exactly once.
 */
@LongRunning
class RegistryOutageIT {

    private static final String PROJECT = "p1";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The serializer gives up after 4 attempts of 10 s (the client's request timeout) with backoffs in between. */
    private static final Duration FROZEN = Duration.ofSeconds(48);

    @RegisterExtension
    static final BrokerAndRegistry services = new BrokerAndRegistry();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aFrozenRegistryDelaysTheFirstEventOfANewTypeButStopsNothingAndLosesNothing() throws Exception {
        int opsPort = freePort();
        SyncBuffer out = new SyncBuffer();
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withNotFoundGrace(Duration.ZERO))) {
            TaskwatchConfig config = ConfigLoader.parse(config(simulator, opsPort, dir.resolve("streams")), Map.of());
            TaskwatchRuntime runtime = new TaskwatchRuntime(config,
                    new EmbeddedEnvironment(config, dir.resolve("data"), 42, Clock.systemUTC()),
                    new TaskwatchRuntime.Options(Set.of(TaskwatchRuntime.Role.POLLER, TaskwatchRuntime.Role.TRANSITIONS),
                            EventFormat.JSONL, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
            try {
                runtime.start();
                await("ready").atMost(Duration.ofSeconds(60)).until(() -> readiness(opsPort).statusCode() == 200);

                SimTask task = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "Resize");
                await("STARTED").atMost(Duration.ofSeconds(30)).until(() -> events(out, task.id()).contains("STARTED"));
                Set<String> threadsBefore = streamThreads(runtime);

                services.registry().freeze();
                long frozenAt = System.nanoTime();
                try {
                    simulator.tasks().setProgress(task.id(), 40); // PROGRESSED: a subject never registered before
                    await("readiness names the registry").atMost(Duration.ofSeconds(30)).pollInterval(
                            Duration.ofMillis(500)).until(() -> {
                                HttpResponse<String> r = readiness(opsPort);
                                return r.statusCode() == 503 && r.body().contains("schema registry unreachable at "
                                        + services.registryUrl());
                            });
                    long left = FROZEN.toNanos() - (System.nanoTime() - frozenAt);
                    while (left > 0) {
                        assertThat(runtime.failure()).as("the process keeps running").isEmpty();
                        assertThat(events(out, task.id())).as("nothing emitted while the registry hangs")
                                .containsExactly("STARTED");
                        Thread.sleep(Math.min(1_000, left / 1_000_000 + 1));
                        left = FROZEN.toNanos() - (System.nanoTime() - frozenAt);
                    }
                    assertThat(readiness(opsPort).statusCode()).as("still not ready at the end of the outage")
                            .isEqualTo(503);
                } finally {
                    services.registry().thaw();
                }
                long thawedAt = System.nanoTime();

                await("PROGRESSED after the registry's return").atMost(Duration.ofSeconds(30))
                        .until(() -> events(out, task.id()).contains("PROGRESSED"));
                Duration resumed = Duration.ofNanos(System.nanoTime() - thawedAt);
                System.err.println("RegistryOutageIT: PROGRESSED " + resumed.toMillis() + " ms after the registry "
                        + "returned, " + FROZEN.toSeconds() + " s outage");
                assertThat(runtime.failure()).isEmpty();
                assertThat(streamThreads(runtime)).as("the stream thread that met the fault was replaced")
                        .isNotEqualTo(threadsBefore);
                await("ready again").atMost(Duration.ofSeconds(30)).until(() -> readiness(opsPort).statusCode() == 200);

                simulator.tasks().complete(task.id());
                await("COMPLETED").atMost(Duration.ofSeconds(30)).until(() -> events(out, task.id())
                        .contains("COMPLETED"));
                Thread.sleep(2_000); // a few more poll cycles and commits: nothing may be repeated
                assertThat(events(out, task.id())).as("every event exactly once, in order")
                        .containsExactly("STARTED", "PROGRESSED", "COMPLETED");
                assertThat(runtime.failure()).isEmpty();
            } finally {
                runtime.close();
            }
        }
    }

    private static Set<String> streamThreads(TaskwatchRuntime runtime) {
        return runtime.transitionsForTests().streams().metadataForLocalThreads().stream()
                .map(ThreadMetadata::threadName).collect(Collectors.toSet());
    }

    private HttpResponse<String> readiness(int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The types of the printed events of one task, in order. */
    private static List<String> events(SyncBuffer out, String taskId) throws IOException {
        List<String> types = new ArrayList<>();
        for (String line : out.text().lines().toList()) {
            JsonNode event = JSON.readTree(line);
            if (taskId.equals(event.path("task_id").asText())) {
                types.add(event.path("type").asText());
            }
        }
        return types;
    }

    private static String config(Simulator simulator, int opsPort, Path stateDir) {
        return """
                kafka:
                  bootstrap-servers: %s
                schema-registry:
                  url: %s
                topics:
                  prefix: "outage."
                  partitions: 2
                credentials:
                  sim:
                    type: token
                    token: prod-token
                    requests-per-second: 50
                http:
                  host: 127.0.0.1
                  port: %d
                transitions:
                  application-id: outage-transitions
                  commit-interval: 200ms
                  state-dir: %s
                targets:
                """.formatted(services.bootstrapServers(), services.registryUrl(), opsPort, stateDir)
                + SimulatorTargets.yaml(simulator, PROJECT, List.of(Service.GEMINIDB));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** What the event printer wrote, readable while it writes. */
    private static final class SyncBuffer extends ByteArrayOutputStream {
        synchronized String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }
}
