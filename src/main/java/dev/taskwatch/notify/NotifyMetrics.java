package dev.taskwatch.notify;

import dev.taskwatch.config.NotifyConfig.NotifyRule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * Meters per rule: {@code taskwatch.notify.delivered}, {@code .retried}, {@code .dead.lettered} (counters) and {@code
 * taskwatch.notify.latency} (timer: from the event's detection, {@code detected_at}, to the receiver's 2xx, so it
 * shows what automation waits for, retries included). Registered for every rule up front so that dashboards and
 * alerts see zeros instead of absent series.
 */
public final class NotifyMetrics {

    public static final String DELIVERED = "taskwatch.notify.delivered";
    public static final String RETRIED = "taskwatch.notify.retried";
    public static final String DEAD_LETTERED = "taskwatch.notify.dead.lettered";
    public static final String LATENCY = "taskwatch.notify.latency";

    private final MeterRegistry registry;

    public NotifyMetrics(MeterRegistry registry, List<NotifyRule> rules) {
        this.registry = registry;
        for (NotifyRule rule : rules) {
            counter(DELIVERED, rule.name());
            counter(RETRIED, rule.name());
            counter(DEAD_LETTERED, rule.name());
            timer(rule.name());
        }
    }

    void delivered(String rule, Duration latency) {
        counter(DELIVERED, rule).increment();
        timer(rule).record(latency.isNegative() ? Duration.ZERO : latency);
    }

    void retried(String rule) {
        counter(RETRIED, rule).increment();
    }

    void deadLettered(String rule) {
        counter(DEAD_LETTERED, rule).increment();
    }

    private Counter counter(String name, String rule) {
        return Counter.builder(name).tag("rule", rule).register(registry);
    }

    private Timer timer(String rule) {
        return Timer.builder(LATENCY).tag("rule", rule)
                .description("From the event's detection to the receiver's 2xx").register(registry);
    }
}
