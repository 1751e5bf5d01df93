package dev.taskwatch.notify;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code notify.rules[]} entry: which events it selects and where it sends them. An empty selector list means
 * "any"; the lists of one rule are ANDed, the entries of one list ORed. Backfill events (history replayed on first
 * start or after an outage) are selected only with {@code include-backfill: true}, so automation does not act on
 * tasks that ended long ago.
 */
public record NotifyRule(String name, Set<TaskEventType> eventTypes, Set<String> services, Set<String> regions,
        Set<String> projects, Set<String> instanceIds, List<Glob> instanceNames, List<Glob> taskNames,
        boolean includeBackfill, Webhook webhook, Retry retry) {

    public NotifyRule {
        Objects.requireNonNull(name, "name");
        eventTypes = Set.copyOf(eventTypes);
        services = Set.copyOf(services);
        regions = Set.copyOf(regions);
        projects = Set.copyOf(projects);
        instanceIds = Set.copyOf(instanceIds);
        instanceNames = List.copyOf(instanceNames);
        taskNames = List.copyOf(taskNames);
        Objects.requireNonNull(webhook, "webhook");
        Objects.requireNonNull(retry, "retry");
    }

    /** A rule that selects every non-backfill event, with the default webhook timeout and retry policy. */
    public static NotifyRule to(String name, URI url) {
        return new NotifyRule(name, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), List.of(), List.of(), false,
                new Webhook(url, Map.of(), Webhook.DEFAULT_TIMEOUT, null), Retry.defaults());
    }

    public boolean matches(TaskEvent event) {
        if (event.getBackfill() && !includeBackfill) {
            return false;
        }
        return (eventTypes.isEmpty() || eventTypes.contains(event.getType()))
                && (services.isEmpty() || services.contains(event.getService()))
                && (regions.isEmpty() || regions.contains(event.getRegion()))
                && (projects.isEmpty() || projects.contains(event.getProjectId()))
                && (instanceIds.isEmpty() || instanceIds.contains(event.getInstanceId()))
                && (instanceNames.isEmpty() || instanceNames.stream().anyMatch(g -> g.matches(event.getInstanceName())))
                && (taskNames.isEmpty() || taskNames.stream().anyMatch(g -> g.matches(event.getName())));
    }

    public NotifyRule withEventTypes(Set<TaskEventType> types) {
        return new NotifyRule(name, types, services, regions, projects, instanceIds, instanceNames, taskNames,
                includeBackfill, webhook, retry);
    }

    public NotifyRule withSelectors(Set<String> services, Set<String> regions, Set<String> projects,
            Set<String> instanceIds, List<Glob> instanceNames, List<Glob> taskNames) {
        return new NotifyRule(name, eventTypes, services, regions, projects, instanceIds, instanceNames, taskNames,
                includeBackfill, webhook, retry);
    }

    public NotifyRule withIncludeBackfill(boolean include) {
        return new NotifyRule(name, eventTypes, services, regions, projects, instanceIds, instanceNames, taskNames,
                include, webhook, retry);
    }

    public NotifyRule withWebhook(Webhook webhook) {
        return new NotifyRule(name, eventTypes, services, regions, projects, instanceIds, instanceNames, taskNames,
                includeBackfill, webhook, retry);
    }

    public NotifyRule withRetry(Retry retry) {
        return new NotifyRule(name, eventTypes, services, regions, projects, instanceIds, instanceNames, taskNames,
                includeBackfill, webhook, retry);
    }

    /** Where a rule sends: {@code webhook.url}, {@code webhook.headers.*}, {@code webhook.timeout}, {@code secret}. */
    public record Webhook(URI url, Map<String, String> headers, Duration timeout, String secret) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

        public Webhook {
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(timeout, "timeout");
        }

        public Webhook withSecret(String secret) {
            return new Webhook(url, headers, timeout, secret);
        }

        public Webhook withTimeout(Duration timeout) {
            return new Webhook(url, headers, timeout, secret);
        }

        public Webhook withHeaders(Map<String, String> headers) {
            return new Webhook(url, headers, timeout, secret);
        }

        /** Never prints the secret or header values (they often hold tokens). */
        @Override
        public String toString() {
            return "Webhook[url=" + url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":"
                    + url.getPort()) + url.getPath() + ", headers=" + headers.keySet() + ", timeout=" + timeout
                    + ", secret=" + (secret == null ? "none" : "***") + "]";
        }
    }

    /** {@code retry.*}: capped exponential backoff with jitter, bounded by attempts and by time. */
    public record Retry(int maxAttempts, Duration maxDuration, Duration initialBackoff, Duration maxBackoff) {

        public static Retry defaults() {
            return new Retry(8, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofMinutes(1));
        }
    }
}
