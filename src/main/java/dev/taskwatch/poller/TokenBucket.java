package dev.taskwatch.poller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket limiting the requests of one credential, shared by all targets using it. Capacity one token, so
 * requests are spread evenly rather than bursting after a quiet period. Callers reserve a slot and then wait for it
 * with the injected {@link Sleeper}; reservations are handed out in order, so concurrent targets take turns.
 */
public final class TokenBucket {

    private final double ratePerSecond;
    private final Clock clock;
    private double tokens;
    private Instant last;

    public TokenBucket(RateLimit limit, Clock clock) {
        this.ratePerSecond = limit.requestsPerSecond();
        this.clock = clock;
        this.tokens = 1.0;
        this.last = clock.instant();
    }

    /** Takes one token and returns how long the caller must wait before using it (zero when one was available). */
    public synchronized Duration reserve() {
        Instant now = clock.instant();
        if (now.isAfter(last)) {
            double elapsed = Duration.between(last, now).toNanos() / 1e9;
            tokens = Math.min(1.0, tokens + elapsed * ratePerSecond);
            last = now;
        }
        tokens -= 1.0;
        if (tokens >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(-tokens / ratePerSecond * 1e9));
    }

    /** Reserves a token and waits for it. */
    public void acquire(Sleeper sleeper) throws InterruptedException {
        Duration wait = reserve();
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
    }
}
