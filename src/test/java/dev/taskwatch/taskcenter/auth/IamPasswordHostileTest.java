package dev.taskwatch.taskcenter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.http.HttpClientSettings;
import dev.taskwatch.http.OutboundHttp;
import dev.taskwatch.testing.HostileTaskCenter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IAM password login against a hostile IAM endpoint, with the production client ({@link OutboundHttp}). */
class IamPasswordHostileTest {

    static final String PASSWORD = "Pa55-SECRET-word!";
    static final SignableRequest ANY = new SignableRequest("GET", URI.create("https://dds.example/v3/p/jobs"),
            Map.of(), null);

    final HostileTaskCenter iam = newCenter();
    final HostileTaskCenter elsewhere = newCenter();
    final UnirestInstance http = OutboundHttp.create(HttpClientSettings.defaults());
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() throws IOException {
        http.close();
        iam.close();
        elsewhere.close();
    }

    static HostileTaskCenter newCenter() {
        try {
            return new HostileTaskCenter();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    IamPasswordAuthenticator authenticator() {
        return new IamPasswordAuthenticator(new Credentials.Password("prod", "svc", PASSWORD, "dom",
                iam.uri().toString()), "eu-de", "p1", http, Clock.systemUTC(), registry);
    }

    double iamRequests(String outcome) {
        Counter c = registry.find("taskwatch.iam.requests").tag("credential", "prod").tag("outcome", outcome)
                .counter();
        return c == null ? 0 : c.count();
    }

    @ParameterizedTest
    @ValueSource(ints = {302, 307, 308})
    void shouldNeverPostThePasswordToTheHostAnIamRedirectNames(int status) {
        iam.answer(HostileTaskCenter.redirect(status, URI.create(elsewhere.uri() + "/v3/auth/tokens")));

        assertThatThrownBy(() -> authenticator().authenticate(ANY))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("HTTP " + status)
                .hasMessageContaining("redirecting to " + elsewhere.uri().getHost())
                .hasMessageContaining("credentials.prod.iam-endpoint")
                .message().doesNotContain(PASSWORD);
        assertThat(iam.requests()).hasSize(1);
        assertThat(iam.requests().get(0).bodyText()).contains(PASSWORD);
        assertThat(elsewhere.requests()).as("the other origin receives nothing").isEmpty();
        assertThat(iamRequests("redirect")).isEqualTo(1);
    }

    @Test
    void shouldCountLoginsLikeTaskCenterRequests() throws Exception {
        iam.answer(HostileTaskCenter.json(401, "{\"error_code\":\"APIG.0301\",\"error_msg\":\"bad\"}"));
        assertThatThrownBy(() -> authenticator().authenticate(ANY)).isInstanceOf(AuthenticationException.class);
        iam.answer(HostileTaskCenter.json(401, "{\"error_code\":\"RND.4711\",\"error_msg\":\"invented\"}"));
        assertThatThrownBy(() -> authenticator().authenticate(ANY)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("RND.4711");
        iam.answer(HostileTaskCenter.json(201, "{\"token\":{\"expires_at\":\"2099-01-01T00:00:00Z\"}}",
                Map.of("X-Subject-Token", "tok")));
        assertThat(authenticator().authenticate(ANY)).containsEntry("X-Auth-Token", "tok");

        assertThat(iamRequests("APIG.0301")).isEqualTo(1);
        assertThat(iamRequests("401")).as("an invented code is not a label").isEqualTo(1);
        assertThat(iamRequests("201")).isEqualTo(1);
        assertThat(registry.find("taskwatch.iam.requests").counters()).hasSize(3);
    }

    @Test
    void shouldRejectAnOversizedIamAnswerWithoutBufferingIt() {
        iam.answer(HostileTaskCenter.flood(64L * 1024 * 1024));

        assertThatThrownBy(() -> authenticator().authenticate(ANY)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("exceeded " + IamPasswordAuthenticator.MAX_RESPONSE_BYTES + " bytes");
        assertThat(iamRequests("malformed")).isEqualTo(1);
    }
}
