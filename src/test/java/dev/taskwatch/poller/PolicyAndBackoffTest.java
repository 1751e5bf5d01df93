package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PolicyAndBackoffTest {

    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private final StatusCodeResponsePolicy policy = new StatusCodeResponsePolicy();

    private ResponseOutcome classify(int status, String body, boolean getById) {
        return policy.classify(new ApiResponse(status, body, null, NOW, "s"), getById,
                (s, b) -> s == 404 && b.contains("DBS.404"));
    }

    @Test
    void shouldClassifyResponses() {
        assertThat(classify(200, "{}", false)).isEqualTo(ResponseOutcome.SUCCESS);
        assertThat(classify(429, "", false)).isEqualTo(ResponseOutcome.THROTTLED);
        assertThat(classify(400, "{\"error_code\":\"APIG.0308\"}", false)).isEqualTo(ResponseOutcome.THROTTLED);
        assertThat(classify(503, "{\"code\":\"APIGW.0308\"}", false)).isEqualTo(ResponseOutcome.THROTTLED);
        assertThat(classify(401, "", false)).isEqualTo(ResponseOutcome.UNAUTHORIZED);
        assertThat(classify(403, "", false)).isEqualTo(ResponseOutcome.FORBIDDEN);
        assertThat(classify(500, "<html>", false)).isEqualTo(ResponseOutcome.SERVER_ERROR);
        assertThat(classify(404, "{\"error_code\":\"DBS.404\"}", true)).isEqualTo(ResponseOutcome.NOT_FOUND);
        assertThat(classify(404, "{\"error_code\":\"DBS.404\"}", false)).isEqualTo(ResponseOutcome.CLIENT_ERROR);
        assertThat(classify(400, "{\"error_code\":\"DBS.280001\"}", true)).isEqualTo(ResponseOutcome.CLIENT_ERROR);
    }

    @Test
    void shouldReadRetryAfterAsSecondsOrHttpDate() {
        assertThat(new ApiResponse(429, "", "12", NOW, "s").retryAfterDelay()).isEqualTo(Duration.ofSeconds(12));
        assertThat(new ApiResponse(429, "", "Fri, 20 Nov 2026 12:01:00 GMT", NOW, "s").retryAfterDelay())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(new ApiResponse(429, "", "Fri, 20 Nov 2026 11:00:00 GMT", NOW, "s").retryAfterDelay())
                .isEqualTo(Duration.ZERO);
        assertThat(new ApiResponse(429, "", "soon", NOW, "s").retryAfterDelay()).isNull();
        assertThat(new ApiResponse(429, "", null, NOW, "s").retryAfterDelay()).isNull();
    }

    @Test
    void shouldBackOffExponentiallyWithFullJitterUpToTheCap() {
        Backoff top = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.999999);
        assertThat(top.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(top.ceiling(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(top.ceiling(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(top.ceiling(1000)).isEqualTo(Duration.ofSeconds(60));
        assertThat(top.delay(3)).isBetween(Duration.ofMillis(3990), Duration.ofSeconds(4));
        Backoff bottom = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0);
        assertThat(bottom.delay(5)).isZero();
    }

    @Test
    void shouldHonourRetryAfterButNotBeyondTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.5);
        assertThat(backoff.delay(4, Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
        assertThat(backoff.delay(4, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.delay(4, null)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void shouldRejectInvalidSettingsNamingTheComponent() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PollerSettings(Duration.ofSeconds(1), 0,
                Duration.ZERO, Duration.ofMinutes(1), 0.2)).hasMessage("maxPagesPerCycle: must be at least 1, got 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PollerSettings(Duration.ofSeconds(1), 5,
                Duration.ZERO, Duration.ofMinutes(1), 1.5)).hasMessage("jitter: must be between 0 and 1, got 1.5");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RateLimit(0))
                .hasMessage("rate must be above 0, got 0.0");
    }
}
