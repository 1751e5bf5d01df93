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
    public static final List<String> EVENT_TYPES = Settings.eventTypes();

    static final NotifyConfig DEFAULT = new NotifyConfig(Settings.NOTIFY_GROUP_ID.defaultValue(), List.of());

    public NotifyConfig {
        rules = List.copyOf(rules);
    }

    /**
     * One webhook rule. An empty list matches everything; {@code instanceNames} and {@code taskNames} hold globs
     * ({@code *}, {@code ?}); the other lists match exactly. Event types are upper case, services lower case.
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
        }
    }

    /**
     * @param headers extra request headers (values may be secrets: never shown)
     * @param secret  HMAC-SHA256 key signing each body, null for unsigned
     */
    public record Webhook(URI url, Map<String, String> headers, Duration timeout, String secret) {
        public Webhook {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        @Override
        public String toString() {
            return "Webhook[url=" + Urls.redact(url.toString()) + ", headers=" + headers.keySet() + ", timeout="
                    + timeout + ", secret=" + (secret == null ? null : "****") + "]";
        }
    }

    /** Delivery retries: exponential backoff from {@code initialBackoff} to {@code maxBackoff}, bounded twice. */
    public record Retry(int maxAttempts, Duration maxDuration, Duration initialBackoff, Duration maxBackoff) {
        static final Retry DEFAULT = new Retry(Settings.RETRY_MAX_ATTEMPTS.defaultValue(),
                Settings.RETRY_MAX_DURATION.defaultValue(), Settings.RETRY_INITIAL_BACKOFF.defaultValue(),
                Settings.RETRY_MAX_BACKOFF.defaultValue());
    }
}
