package dev.taskwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.config.NotifyConfig.Retry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Retry RETRY = new Retry(8, Duration.ofMinutes(10), Duration.ofSeconds(1),
            Duration.ofSeconds(30));

    @Test
    void shouldDoubleTheBackoffUpToTheCap() {
        RetryPolicy top = new RetryPolicy(RETRY, () -> 0.999999);
        assertThat(top.backoff(1)).isLessThanOrEqualTo(Duration.ofSeconds(1)).isGreaterThan(Duration.ofMillis(990));
        assertThat(top.backoff(2)).isLessThanOrEqualTo(Duration.ofSeconds(2)).isGreaterThan(Duration.ofMillis(1990));
        assertThat(top.backoff(5)).isLessThanOrEqualTo(Duration.ofSeconds(16));
        assertThat(top.backoff(6)).isLessThanOrEqualTo(Duration.ofSeconds(30)).isGreaterThan(Duration.ofSeconds(29));
        assertThat(top.backoff(100)).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldJitterBetweenHalfAndAllOfTheBackoff() {
        RetryPolicy bottom = new RetryPolicy(RETRY, () -> 0.0);
        assertThat(bottom.backoff(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(bottom.backoff(50)).isEqualTo(Duration.ofSeconds(15));
    }
}
