package dev.taskwatch.poller;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: attempt {@code n} (1-based) waits a uniformly random time between zero and
 * {@code min(max, initial * 2^(n-1))}. A server's {@code Retry-After} is honoured instead, capped at {@code max}.
 *
 * @param random uniform values in [0, 1)
 */
public record Backoff(Duration initial, Duration max, DoubleSupplier random) {

    /** The cap of attempt {@code attempt} before jitter. */
    public Duration ceiling(int attempt) {
        int shift = Math.min(Math.max(attempt, 1) - 1, 30);
        long millis = initial.toMillis() * (1L << shift);
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    /** The delay before retrying after the {@code attempt}th consecutive failure. */
    public Duration delay(int attempt) {
        return Duration.ofMillis((long) (ceiling(attempt).toMillis() * random.getAsDouble()));
    }

    /** The delay after a throttled response: {@code retryAfter} (capped) when the server sent one, else backoff. */
    public Duration delay(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(max) > 0 ? max : retryAfter;
        }
        return delay(attempt);
    }
}
