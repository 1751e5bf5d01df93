package dev.taskwatch.notify;

import dev.taskwatch.config.NotifyConfig.NotifyRule;
import dev.taskwatch.config.NotifyConfig.Retry;
import dev.taskwatch.config.NotifyConfig.Webhook;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** notify.rules entries for tests, with the configuration's defaults. */
final class TestRules {

    static final Retry DEFAULT_RETRY = new Retry(8, Duration.ofMinutes(10), Duration.ofSeconds(1),
            Duration.ofMinutes(1));

    private TestRules() {}

    /** Every non-backfill event to {@code url}. */
    static NotifyRule to(String name, String url) {
        return new NotifyRule(name, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                false, webhook(url), DEFAULT_RETRY);
    }

    static Webhook webhook(String url) {
        return new Webhook(URI.create(url), Map.of(), Duration.ofSeconds(10), null);
    }

    static NotifyRule withRetry(NotifyRule r, Retry retry) {
        return new NotifyRule(r.name(), r.eventTypes(), r.services(), r.regions(), r.projects(), r.instanceIds(),
                r.instanceNames(), r.taskNames(), r.includeBackfill(), r.webhook(), retry);
    }

    static NotifyRule withWebhook(NotifyRule r, Webhook webhook) {
        return new NotifyRule(r.name(), r.eventTypes(), r.services(), r.regions(), r.projects(), r.instanceIds(),
                r.instanceNames(), r.taskNames(), r.includeBackfill(), webhook, r.retry());
    }
}
