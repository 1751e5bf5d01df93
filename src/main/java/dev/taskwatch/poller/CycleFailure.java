package dev.taskwatch.poller;

import java.time.Duration;

/**
 * Why a poll cycle ended early. Nothing of the cycle after the failing request was done; what was published before it
 * stays published (snapshots are idempotent downstream).
 *
 * @param outcome    the response outcome, or null for failures that are not HTTP outcomes
 * @param tag        short label for health and logs: the outcome, {@code malformed}, {@code auth}, {@code publish}
 * @param backsOff   whether the next cycle follows the backoff schedule (else the slow interval)
 * @param retryAfter the server's Retry-After, or null
 */
final class CycleFailure extends Exception {

    private final ResponseOutcome outcome;
    private final String tag;
    private final boolean backsOff;
    private final Duration retryAfter;

    CycleFailure(ResponseOutcome outcome, String tag, boolean backsOff, Duration retryAfter, String message,
            Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
        this.tag = tag;
        this.backsOff = backsOff;
        this.retryAfter = retryAfter;
    }

    ResponseOutcome outcome() {
        return outcome;
    }

    String tag() {
        return tag;
    }

    boolean backsOff() {
        return backsOff;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
