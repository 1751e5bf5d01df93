package dev.taskwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.SimulatorTargets;
import dev.taskwatch.testing.TaskwatchProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring files against the real process: {@code java -jar target/taskwatch.jar run} (both roles, every Kafka
 * client bound to the registry) polling a simulator, {@code /metrics} scraped once a task went through; every metric
 * the alert rules and the dashboard read must be among the scraped sample names (Prometheus naming: {@code _total},
 * {@code _seconds}, {@code _count}/{@code _sum}; JVM and Kafka client metrics included). The same run logs with
 * {@code logging.format: json}: every log line parses as JSON, the poller's lines carry target and credential fields,
 * and the credential's secret is in none of them.
 */
class MonitoringMetricNamesIT {

    private static final String PROJECT = "p1";
    private static final String TOKEN = "monitoring-it-secret-token-6d1f";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Series Prometheus itself adds to every scrape: not the process's to expose. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up", "scrape_duration_seconds");

    @TempDir
    Path dir;

    private Simulator simulator;
    private TaskwatchProcess run;

    @AfterEach
    void stop() throws InterruptedException {
        if (run != null) {
            run.kill();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void shouldExposeEveryMetricTheAlertRulesAndTheDashboardReadAndLogJsonWithoutSecrets() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withNotFoundGrace(Duration.ZERO));
        int port = freePort();
        Path config = Files.writeString(dir.resolve("taskwatch.yaml"), config(port));
        run = TaskwatchProcess.start(dir, "run", "--config", config.toString(), "--data-dir",
                dir.resolve("data").toString(), "--print-events", "jsonl");
        run.awaitStderr(line -> line.contains("started:"));
        SimTask task = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "Resize");
        run.awaitEvent(task.id() + " STARTED");

        run.awaitStderr(line -> line.contains("Ops HTTP server on"));
        List<String> unknown = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // Some meters appear with their first sample (a consumer's lag once it has partitions): scrape until all
        // are there or the time is up, then report what is missing.
        do {
            Set<String> exposed = new TreeSet<>(MonitoringFiles.exposedNames(scrape(port)));
            exposed.addAll(PROMETHEUS_SERIES);
            unknown = MonitoringFiles.unknownMetrics(exposed);
            if (!unknown.isEmpty()) {
                Thread.sleep(1_000);
            }
        } while (!unknown.isEmpty() && System.nanoTime() < deadline);
        assertThat(unknown).as("metrics read by deploy/monitoring that /metrics does not expose").isEmpty();

        run.stopCleanly();
        assertJsonLogLines(run.stderrLines());
        run = null;
    }

    private static void assertJsonLogLines(List<String> stderr) throws Exception {
        List<JsonNode> logs = new ArrayList<>();
        for (String line : stderr) {
            assertThat(line).as("no log line carries the credential's secret").doesNotContain(TOKEN);
            if (line.startsWith("{")) {
                logs.add(JSON.readTree(line)); // throws on a line that is not one JSON object
            }
        }
        assertThat(logs).as("JSON log lines").isNotEmpty()
                .allSatisfy(log -> assertThat(log.path("level").asText()).isNotEmpty())
                .anySatisfy(log -> {
                    assertThat(log.path("loggerName").asText()).startsWith("dev.taskwatch.poller");
                    assertThat(log.path("mdc").path("target").asText()).startsWith("geminidb");
                    assertThat(log.path("mdc").path("credential").asText()).isEqualTo("sim");
                })
                .anySatisfy(log -> assertThat(log.path("formattedMessage").asText())
                        .contains("taskwatch stopped cleanly"));
    }

    /** http.port 0 disables the ops server: a port free a moment ago (the process fails clearly if it is taken). */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private String config(int port) {
        return """
                credentials:
                  sim:
                    type: token
                    token: %s
                    requests-per-second: 50
                http:
                  port: %d
                logging:
                  format: json
                transitions:
                  commit-interval: 200ms
                notify:
                  rules:
                    - name: monitoring-it
                      webhook:
                        url: http://127.0.0.1:9/hook
                targets:
                """.formatted(TOKEN, port)
                + SimulatorTargets.yaml(simulator, PROJECT, List.of(Service.GEMINIDB, Service.DDS));
    }
}
