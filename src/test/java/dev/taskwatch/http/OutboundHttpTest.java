package dev.taskwatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.testing.HostileTaskCenter;
import dev.taskwatch.testing.SelfSignedHttps;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.UnirestException;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task-center/IAM client: proxy ({@code poller.proxy}, {@code poller.non-proxy-hosts}) and trust store. */
class OutboundHttpTest {

    final HostileTaskCenter proxy = newCenter();
    final HostileTaskCenter center = newCenter();
    UnirestInstance unirest;

    @AfterEach
    void close() throws IOException {
        if (unirest != null) {
            unirest.close();
        }
        proxy.close();
        center.close();
    }

    static HostileTaskCenter newCenter() {
        try {
            return new HostileTaskCenter();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldSendTaskCenterRequestsThroughTheConfiguredProxy() {
        // the proxy answers itself: a forward proxy that counts what it is asked to fetch
        proxy.answer(HostileTaskCenter.json(200, "{\"jobs\":[]}"));
        unirest = OutboundHttp.create(HttpClientSettings.defaults().withProxy(proxy.uri(), List.of()));

        HttpResponse<String> response = unirest.get("http://dds.eu-de.example.invalid:8443/v3/p1/jobs?limit=50")
                .asString();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(proxy.requests()).singleElement().satisfies(r -> {
            assertThat(r.target()).isEqualTo("http://dds.eu-de.example.invalid:8443/v3/p1/jobs?limit=50");
            assertThat(r.header("Host")).isEqualTo("dds.eu-de.example.invalid:8443");
        });
    }

    @Test
    void shouldLogInToTheProxyWithTheUserInfoOfItsUrl() {
        String expected = "Basic " + Base64.getEncoder().encodeToString("svc:p%ss".getBytes(StandardCharsets.UTF_8));
        proxy.answer((request, out) -> {
            if (expected.equals(request.header("Proxy-Authorization"))) {
                HostileTaskCenter.json(200, "{}").answer(request, out);
            } else {
                HostileTaskCenter.json(407, "{}", Map.of("Proxy-Authenticate", "Basic realm=\"proxy\""))
                        .answer(request, out);
            }
        });
        URI withLogin = URI.create("http://svc:p%25ss@127.0.0.1:" + proxy.port());
        unirest = OutboundHttp.create(HttpClientSettings.defaults().withProxy(withLogin, List.of()));

        HttpResponse<String> response = unirest.get("http://tc.example.invalid/v3/p1/jobs").asString();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(proxy.requests()).hasSize(2);
    }

    @Test
    void shouldReachNonProxyHostsDirectly() {
        center.answer(HostileTaskCenter.json(200, "{}"));
        unirest = OutboundHttp.create(HttpClientSettings.defaults().withProxy(proxy.uri(),
                List.of("*.internal", "127.0.0.*")));

        HttpResponse<String> response = unirest.get(center.uri() + "/v3/p1/jobs").asString();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(center.requests()).hasSize(1);
        assertThat(proxy.requests()).isEmpty();
    }

    @Test
    void shouldRejectAnUnusableProxyNamingTheKeyButNotThePassword() {
        assertThatThrownBy(() -> OutboundHttp.create(HttpClientSettings.defaults().withProxy(
                URI.create("socks5://user:hunter2@proxy:1080"), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("poller.proxy")
                .message().doesNotContain("hunter2");
    }

    @Test
    void shouldTrustAServerCertifiedByTheConfiguredTrustStore(@TempDir Path dir) throws Exception {
        try (SelfSignedHttps https = new SelfSignedHttps(dir, exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("{}".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        })) {
            unirest = OutboundHttp.create(HttpClientSettings.defaults().withTrustStore(https.trustStore(),
                    SelfSignedHttps.PASSWORD, "PKCS12"));
            assertThat(unirest.get(https.uri() + "/v3/p1/jobs").asString().getStatus()).isEqualTo(200);

            try (UnirestInstance jvmDefault = OutboundHttp.create(HttpClientSettings.defaults())) {
                assertThatThrownBy(() -> jvmDefault.get(https.uri() + "/v3/p1/jobs").asString())
                        .as("the JVM's trust store does not know the self-signed certificate")
                        .isInstanceOf(UnirestException.class);
            }
        }
    }

    @Test
    void shouldNameTheKeyOfAnUnreadableTrustStore(@TempDir Path dir) {
        assertThatThrownBy(() -> OutboundHttp.create(HttpClientSettings.defaults().withTrustStore(
                dir.resolve("missing.p12"), "secret-pw", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("poller.trust-store:")
                .hasMessageContaining("missing.p12").message().doesNotContain("secret-pw");
    }
}
