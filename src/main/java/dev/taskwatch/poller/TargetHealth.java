package dev.taskwatch.poller;

import java.time.Instant;

/**
 * What the runtime's health endpoint shows per target.
 *
 * @param target          target name
 * @param cycleCompleted  whether at least one cycle completed successfully
 * @param lastSuccess     end of the last successful cycle, or null
 * @param lastError       message of the last failed cycle (never a secret), or null when the last cycle succeeded
 * @param lastErrorAt     when that failure happened, or null
 * @param lastOutcome     outcome of the last failed cycle, or null
 */
public record TargetHealth(String target, boolean cycleCompleted, Instant lastSuccess, String lastError,
        Instant lastErrorAt, ResponseOutcome lastOutcome) {

    /** Ready: completed a cycle, or reported a clear error (so a misconfigured target is visible, not hanging). */
    public boolean settled() {
        return cycleCompleted || lastError != null;
    }
}
