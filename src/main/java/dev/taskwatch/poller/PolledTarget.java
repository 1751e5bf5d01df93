package dev.taskwatch.poller;

import dev.taskwatch.taskcenter.ListingDialect;
import dev.taskwatch.taskcenter.TaskCenterDialect;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Authenticator;

/**
 * A target together with what is needed to poll it.
 *
 * @param pageSize the target's {@code page-size}, or null for the dialect's largest page size; always passed through
 *                 {@link ListingDialect#pageSize(int)}
 */
public record PolledTarget(Target target, TaskCenterDialect dialect, Authenticator authenticator, Integer pageSize) {

    public PolledTarget {
        if (dialect.service() != target.service()) {
            throw new IllegalArgumentException("Target " + target.name() + " is a " + target.service().id()
                    + " target but got the " + dialect.service().id() + " dialect");
        }
    }

    public PolledTarget(Target target, TaskCenterDialect dialect, Authenticator authenticator) {
        this(target, dialect, authenticator, null);
    }

    /** The page size requested from the list API (a target without one is never listed). */
    public int effectivePageSize() {
        ListingDialect listing = dialect.listing().orElseThrow(() -> new IllegalStateException(
                "Target " + target.name() + ": " + target.service().id() + " has no list API"));
        return listing.pageSize(pageSize == null ? listing.maxPageSize() : pageSize);
    }
}
