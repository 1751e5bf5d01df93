package dev.taskwatch.poller;

import java.time.Duration;

/**
 * What one {@link TargetPoller#step()} did: the scheduler's only input from a target.
 *
 * @param requested  whether a request was sent (a step without one costs no budget)
 * @param purpose    why the request was sent, or null without one
 * @param nextDelay  for {@link Kind#DONE} and {@link Kind#FAILED}: the delay before the next cycle
 * @param retryAfter for {@link Kind#THROTTLED}: the server's Retry-After, or null
 */
public record Step(Kind kind, boolean requested, Purpose purpose, Duration nextDelay, Duration retryAfter) {

    /** What a step did. */
    public enum Kind {
        /** One request of the cycle was made and the cycle goes on. */
        CONTINUE,
        /** The cycle completed; {@link Step#nextDelay()} is the target's interval now (fast or slow). */
        DONE,
        /** The cycle failed; {@link Step#nextDelay()} is the backoff or slow interval before the next cycle. */
        FAILED,
        /**
         * The API gateway throttled the request: nothing advanced, the cycle resumes with the same request after
         * the credential's pushback; {@link Step#retryAfter()} is the server's Retry-After, or null.
         */
        THROTTLED
    }
}
