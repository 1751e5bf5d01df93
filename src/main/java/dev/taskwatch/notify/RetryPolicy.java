package dev.taskwatch.notify;

import dev.taskwatch.config.NotifyConfig.Retry;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with "equal jitter": before retry n (1-based) it waits a random time between half and
 * all of {@code min(max-backoff, initial-backoff * 2^(n-1))}. Half is kept so that a crowd of failing calls still
 * backs off; the random half spreads them so that a recovering receiver is not hit by all at once.
 */
public final class RetryPolicy {

    private final Retry retry;
    private final DoubleSupplier random;

    public RetryPolicy(Retry retry, DoubleSupplier random) {
        this.retry = retry;
        this.random = random;
    }

    /** The wait before retry {@code n} (n = 1 after the first failed attempt). */
    public Duration backoff(int n) {
        long initial = retry.initialBackoff().toMillis();
        long cap = retry.maxBackoff().toMillis();
        long exp = n >= 62 ? cap : Math.min(cap, initial * (1L << Math.min(n - 1, 40)));
        if (exp < 0) {
            exp = cap;
        }
        long half = exp / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (exp - half)));
    }

    public Retry limits() {
        return retry;
    }
}
