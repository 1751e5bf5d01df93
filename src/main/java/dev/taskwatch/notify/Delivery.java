package dev.taskwatch.notify;

import dev.taskwatch.config.NotifyConfig.NotifyRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one event to one rule's webhook: calls, and on a retryable failure waits ({@link RetryPolicy}, or the
 * receiver's {@code Retry-After} when longer, both capped by {@code retry.max-backoff}) and calls again, until it
 * is delivered, rejected, or {@code retry.max-attempts} / {@code retry.max-duration} is used up. Every call of one
 * event carries the same body and idempotency key.
 */
public final class Delivery {

    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    /** How one delivery ended. {@code reason} is set when it was not delivered. */
    public record Result(boolean delivered, int attempts, String reason) {}

    /** Waits between attempts; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final WebhookSender sender;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final NotifyMetrics metrics;

    public Delivery(WebhookSender sender, Clock clock, Sleeper sleeper, DoubleSupplier random, NotifyMetrics metrics) {
        this.sender = sender;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.metrics = metrics;
    }

    public Result deliver(NotifyRule rule, String eventId, byte[] body) throws InterruptedException {
        RetryPolicy policy = new RetryPolicy(rule.retry(), random);
        Instant start = clock.instant();
        Instant deadline = start.plus(rule.retry().maxDuration());
        int attempts = 0;
        while (true) {
            attempts++;
            Attempt attempt = sender.send(rule.webhook(), eventId, body);
            switch (attempt.kind()) {
                case DELIVERED -> {
                    return new Result(true, attempts, null);
                }
                case REJECTED -> {
                    return new Result(false, attempts, "rejected by receiver: " + attempt.reason());
                }
                case RETRYABLE -> {
                    if (attempts >= rule.retry().maxAttempts()) {
                        return new Result(false, attempts, "gave up after " + attempts + " attempts (retry.max-attempts): "
                                + attempt.reason());
                    }
                    Duration wait = policy.backoff(attempts);
                    if (attempt.retryAfter().isPresent() && attempt.retryAfter().get().compareTo(wait) > 0) {
                        wait = attempt.retryAfter().get().compareTo(rule.retry().maxBackoff()) > 0
                                ? rule.retry().maxBackoff() : attempt.retryAfter().get();
                    }
                    if (clock.instant().plus(wait).isAfter(deadline)) {
                        return new Result(false, attempts, "gave up after " + attempts + " attempts in "
                                + Duration.between(start, clock.instant()).toMillis() + " ms (retry.max-duration): "
                                + attempt.reason());
                    }
                    log.info("notify rule {}: event {} attempt {} failed ({}), retrying in {} ms", rule.name(), eventId,
                            attempts, attempt.reason(), wait.toMillis());
                    metrics.retried(rule.name());
                    sleeper.sleep(wait);
                }
            }
        }
    }
}
