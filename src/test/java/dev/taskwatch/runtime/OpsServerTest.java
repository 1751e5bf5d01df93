package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {

    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<Readiness> readiness = new AtomicReference<>(
            new Readiness(false, List.of("target dds/eu-de/p1 has not finished a poll cycle",
                    "Kafka Streams is REBALANCING")));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private OpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldBeLiveWhileRunning() throws Exception {
        server = OpsServer.startOnEphemeralPort(metrics, readiness::get);

        HttpResponse<String> live = get("/health/live");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void shouldSayWhyItIsNotReadyAndTurnReadyWhenTheCheckDoes() throws Exception {
        server = OpsServer.startOnEphemeralPort(metrics, readiness::get);

        HttpResponse<String> notReady = get("/health/ready");
        readiness.set(Readiness.up());
        HttpResponse<String> ready = get("/health/ready");

        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(notReady.body()).isEqualTo("{\"status\":\"DOWN\",\"reasons\":[\"target dds/eu-de/p1 has not "
                + "finished a poll cycle\",\"Kafka Streams is REBALANCING\"]}");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"reasons\":[]}");
    }

    @Test
    void shouldReportAFailingCheckAsNotReady() throws Exception {
        server = OpsServer.startOnEphemeralPort(metrics, () -> {
            throw new IllegalStateException("poller gone");
        });

        HttpResponse<String> response = get("/health/ready");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("readiness check failed").contains("poller gone");
    }

    @Test
    void shouldCombineChecks() {
        ReadinessCheck all = ReadinessCheck.all(List.of(Readiness::up, () -> Readiness.down("a"),
                () -> Readiness.down("b")));

        assertThat(all.check()).isEqualTo(new Readiness(false, List.of("a", "b")));
        assertThat(ReadinessCheck.all(List.of(Readiness::up)).check().ready()).isTrue();
    }

    @Test
    void shouldServeRegisteredMetersInPrometheusTextFormat() throws Exception {
        metrics.counter("taskwatch.poller.requests", "target", "dds/eu-de/p1", "outcome", "ok").increment(3);
        server = OpsServer.startOnEphemeralPort(metrics, readiness::get);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(response.body()).contains("# TYPE taskwatch_poller_requests_total counter")
                .contains("taskwatch_poller_requests_total{outcome=\"ok\",target=\"dds/eu-de/p1\"} 3.0");
    }

    @Test
    void shouldServeJvmMetersOnceBound() throws Exception {
        try (OpsMetrics ops = new OpsMetrics(metrics).bindJvm()) {
            server = OpsServer.startOnEphemeralPort(ops.registry(), readiness::get);

            assertThat(get("/metrics").body()).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");
        }
    }

    @Test
    void shouldAnswerUnknownPathsWith404AndOtherMethodsWith405() throws Exception {
        server = OpsServer.startOnEphemeralPort(metrics, readiness::get);

        HttpResponse<String> unknown = get("/nope");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/health/live"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void shouldNotStartWhenThePortIsZero() throws Exception {
        assertThat(OpsServer.startOnConfiguredPort(0, metrics, readiness::get)).isEmpty();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
