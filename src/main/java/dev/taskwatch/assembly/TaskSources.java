package dev.taskwatch.assembly;

import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.RateLimit;
import java.util.List;
import java.util.Map;

/** The targets to poll, each with its dialect and authenticator, and the request budget of each credential. */
public record TaskSources(List<PolledTarget> targets, Map<String, RateLimit> rateLimits) {
    public TaskSources {
        targets = List.copyOf(targets);
        rateLimits = Map.copyOf(rateLimits);
    }
}
