package dev.taskwatch.poller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The budget meters of one credential: {@code taskwatch.poller.budget.rate} (configured requests/s),
 * {@code taskwatch.poller.budget.requests} (requests spent, by purpose {@code active|idle|history|sweep|watch|retry|discovery}) and
 * {@code taskwatch.poller.schedule.lateness} (how late active targets start their cycles against their due time).
 */
final class LaneMetrics {

    static final String[] PURPOSES = {"active", "idle", "history", "sweep", "watch", "retry", "discovery"};

    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Timer lateness;

    LaneMetrics(MeterRegistry registry, String credential, double rate) {
        Gauge.builder("taskwatch.poller.budget.rate", () -> rate).tag("credential", credential)
                .description("Configured request budget of the credential, requests per second").register(registry);
        for (String purpose : PURPOSES) {
            requests.put(purpose, Counter.builder("taskwatch.poller.budget.requests").tag("credential", credential)
                    .tag("purpose", purpose).description("Task-center requests spent by the credential")
                    .register(registry));
        }
        lateness = Timer.builder("taskwatch.poller.schedule.lateness").tag("credential", credential)
                .description("How late cycles of active targets started after they were due").register(registry);
    }

    void request(String purpose) {
        requests.get(purpose).increment();
    }

    void lateness(Duration late) {
        lateness.record(late.isNegative() ? Duration.ZERO : late);
    }
}
