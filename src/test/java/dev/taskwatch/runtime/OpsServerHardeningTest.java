package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.JdkHttpServers;
import dev.taskwatch.testing.HostileTaskCenter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ops server against clients that do not play fair. */
class OpsServerHardeningTest {

    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Socket> held = new ArrayList<>();
    private OpsServer server;

    @AfterEach
    void stop() throws Exception {
        for (Socket s : held) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> live() throws Exception {
        // the JDK default read timeout is forever: without a bound here a stalled server hangs the test
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health/live"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldStayLiveWhileClientsHoldHalfSentRequests() throws Exception {
        server = OpsServer.startOnEphemeralPort(metrics, Readiness::up);
        for (int i = 0; i < 4; i++) {
            held.add(HostileTaskCenter.holdIncompleteRequest("127.0.0.1", server.port()));
        }
        Thread.sleep(200); // let the server pick the held connections up first

        HttpResponse<String> live = live();

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void shouldLimitHowLongAClientMayTakeToSendItsRequest() throws Exception {
        server = OpsServer.startOnEphemeralPort(metrics, Readiness::up);

        // read once per JVM at its first server; taskwatch's entry point sets it before any
        assertThat(System.getProperty(JdkHttpServers.MAX_REQUEST_TIME_PROPERTY))
                .isEqualTo(String.valueOf(JdkHttpServers.MAX_REQUEST_SECONDS));
        assertThat(System.getProperty(JdkHttpServers.MAX_RESPONSE_TIME_PROPERTY)).isNotBlank();
    }

    @Test
    void shouldBindTheConfiguredHost() throws Exception {
        server = OpsServer.startOnConfiguredPort("127.0.0.1", freePort(), metrics, Readiness::up).orElseThrow();

        assertThat(server.address().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(live().statusCode()).isEqualTo(200);
    }

    @Test
    void shouldBindAllInterfacesByDefault() throws Exception {
        server = OpsServer.startOnConfiguredPort(freePort(), metrics, Readiness::up).orElseThrow();

        assertThat(server.address().getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void shouldNameTheKeyOfAnUnresolvableHost() {
        assertThatThrownBy(() -> OpsServer.startOnConfiguredPort("no-such-host.invalid", freePort(), metrics,
                Readiness::up)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("http.host:");
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
