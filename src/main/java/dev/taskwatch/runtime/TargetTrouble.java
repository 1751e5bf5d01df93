package dev.taskwatch.runtime;

import dev.taskwatch.poller.TargetHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Readiness reasons for targets that have been failing for longer than {@code poller.unhealthy-after} (default 2m):
 * HTTP 500s, a task center that is down or unreachable, malformed answers, 401s. A target is failing from its last
 * successful cycle on (from the poller's start when it never had one) while its last cycle failed.
 *
 * <p>Reported by {@code /health/ready} (503), not by liveness: restarting taskwatch cures none of these, but an
 * operator and the rollout of a new version must see them. taskwatch takes no inbound traffic, so a not-ready pod
 * loses nothing by leaving a Service's endpoints.
 */
public final class TargetTrouble {

    public static final Duration DEFAULT_UNHEALTHY_AFTER = Duration.ofMinutes(2);

    private final Instant pollerStarted;
    private final Duration unhealthyAfter;

    public TargetTrouble(Instant pollerStarted, Duration unhealthyAfter) {
        this.pollerStarted = pollerStarted;
        this.unhealthyAfter = unhealthyAfter;
    }

    public List<String> reasons(Collection<TargetHealth> targets, Instant now) {
        List<String> reasons = new ArrayList<>();
        for (TargetHealth h : targets) {
            if (h.lastError() == null) {
                continue;
            }
            Instant since = h.lastSuccess() != null ? h.lastSuccess() : pollerStarted;
            Duration failing = Duration.between(since, now);
            if (failing.compareTo(unhealthyAfter) > 0) {
                reasons.add("target " + h.target() + " failing for " + failing.toSeconds() + " s"
                        + (h.lastSuccess() == null ? " (never succeeded)" : "") + ": " + h.lastError());
            }
        }
        return reasons;
    }
}
