package dev.taskwatch.config;

import dev.taskwatch.Urls;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.taskcenter.Service;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code notify:} section: webhook rules applied to transition events.
 *
 * @param groupId {@code notify.group-id}: consumer group of the notifier
 * @param rules   {@code notify.rules[]}, names unique
 */
public record NotifyConfig(String groupId, List<NotifyRule> rules) {

    /** The event types a rule may name (all but the reader-side UNKNOWN). */
    public static final List<String> EVENT_TYPES = Arrays.stream(TaskEventType.values())
            .filter(t -> t != TaskEventType.UNKNOWN).map(Enum::name).toList();

    static final NotifyConfig DEFAULT = new NotifyConfig("taskwatch-notify", List.of());

    public NotifyConfig {
        rules = List.copyOf(rules);
        List<String> problems = new ArrayList<>();
        if (groupId == null || groupId.isBlank()) {
            problems.add("notify.group-id: must not be empty");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            if (!names.add(rules.get(i).name())) {
                problems.add("notify.rules[" + i + "].name: duplicate rule name '" + rules.get(i).name() + "'");
            }
        }
        Rules.check(problems);
    }

    /**
     * One webhook rule. An empty list matches everything; {@code instanceNames} and {@code taskNames} hold globs
     * ({@code *}, {@code ?}); the other lists match exactly. Problems name keys relative to the rule
     * ({@code event-types}, {@code webhook.url}); the binder prefixes them with {@code notify.rules[i].}.
     */
    public record NotifyRule(String name, List<String> eventTypes, List<String> services, List<String> regions,
            List<String> projects, List<String> instanceIds, List<String> instanceNames, List<String> taskNames,
            boolean includeBackfill, Webhook webhook, Retry retry) {

        public NotifyRule {
            eventTypes = eventTypes.isEmpty() ? EVENT_TYPES : List.copyOf(eventTypes);
            services = List.copyOf(services);
            regions = List.copyOf(regions);
            projects = List.copyOf(projects);
            instanceIds = List.copyOf(instanceIds);
            instanceNames = List.copyOf(instanceNames);
            taskNames = List.copyOf(taskNames);
            List<String> problems = new ArrayList<>();
            if (name == null || name.isBlank()) {
                problems.add("name: missing (every rule needs a unique name)");
            }
            eventTypes.stream().filter(t -> !EVENT_TYPES.contains(t)).findFirst().ifPresent(t -> problems.add(
                    "event-types: unknown event type '" + t + "' (any of " + String.join(", ", EVENT_TYPES) + ")"));
            List<String> ids = Arrays.stream(Service.values()).map(Service::id).toList();
            services.stream().filter(s -> !ids.contains(s)).findFirst().ifPresent(s -> problems.add(
                    "services: unknown service '" + s + "' (any of " + String.join(", ", ids) + ")"));
            Rules.check(problems);
        }
    }

    /**
     * @param headers extra request headers (values may be secrets: never shown)
     * @param secret  HMAC-SHA256 key signing each body, null for unsigned
     */
    public record Webhook(URI url, Map<String, String> headers, Duration timeout, String secret) {
        static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

        public Webhook {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            List<String> problems = new ArrayList<>();
            if (url == null) {
                problems.add("webhook.url: missing (http or https URL of the receiver)");
            } else if (!Urls.isHttpOrHttps(url)) {
                problems.add("webhook.url: invalid URL '" + Urls.redact(url.toString())
                        + "' (expected http(s)://host[:port][/path])");
            }
            headers.forEach((header, value) -> {
                if (Rules.headerUnsafe(value)) {
                    problems.add(Rules.headerUnsafeProblem("webhook.headers." + header));
                }
            });
            Rules.positive(problems, "webhook.timeout", timeout);
            Rules.check(problems);
        }

        @Override
        public String toString() {
            return "Webhook[url=" + Urls.redact(url.toString()) + ", headers=" + headers.keySet() + ", timeout="
                    + timeout + ", secret=" + (secret == null ? null : "****") + "]";
        }
    }

    /** Delivery retries: exponential backoff from {@code initialBackoff} to {@code maxBackoff}, bounded twice. */
    public record Retry(int maxAttempts, Duration maxDuration, Duration initialBackoff, Duration maxBackoff) {
        static final Retry DEFAULT = new Retry(8, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofMinutes(1));

        public Retry {
            List<String> problems = new ArrayList<>();
            if (maxAttempts < 1) {
                problems.add("retry.max-attempts: must be at least 1, got " + maxAttempts);
            }
            Rules.positive(problems, "retry.max-duration", maxDuration);
            Rules.positive(problems, "retry.initial-backoff", initialBackoff);
            Rules.positive(problems, "retry.max-backoff", maxBackoff);
            if (problems.isEmpty() && initialBackoff.compareTo(maxBackoff) > 0) {
                problems.add("retry.initial-backoff: " + Durations.format(initialBackoff) + " exceeds retry.max-backoff "
                        + Durations.format(maxBackoff));
            }
            Rules.check(problems);
        }
    }
}
