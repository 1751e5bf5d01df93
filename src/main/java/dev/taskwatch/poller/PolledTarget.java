package dev.taskwatch.poller;

import dev.taskwatch.taskcenter.TaskCenterDialect;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Authenticator;

/**
 * A target together with what is needed to poll it.
 *
 * @param pageSize the target's {@code page-size}, or null for the dialect's largest page size; always passed through
 *                 {@link TaskCenterDialect#pageSize(int)}
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

    /** The page size requested from the list API. */
    public int effectivePageSize() {
        return dialect.pageSize(pageSize == null ? dialect.maxPageSize() : pageSize);
    }
}
