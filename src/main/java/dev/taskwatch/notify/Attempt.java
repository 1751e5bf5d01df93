package dev.taskwatch.notify;

import java.time.Duration;
import java.util.Optional;

/** The outcome of one webhook call. */
public record Attempt(Kind kind, String reason, Optional<Duration> retryAfter) {

    public enum Kind {
        /** 2xx: delivered. */
        DELIVERED,
        /** Timeout, connection failure, 408, 429 or 5xx: worth another try. */
        RETRYABLE,
        /** Any other status (400, 401, 404 ...): the same call would fail again, so it is dead-lettered at once. */
        REJECTED
    }

    public static Attempt delivered() {
        return new Attempt(Kind.DELIVERED, "delivered", Optional.empty());
    }

    public static Attempt retryable(String reason, Optional<Duration> retryAfter) {
        return new Attempt(Kind.RETRYABLE, reason, retryAfter);
    }

    public static Attempt rejected(String reason) {
        return new Attempt(Kind.REJECTED, reason, Optional.empty());
    }
}
