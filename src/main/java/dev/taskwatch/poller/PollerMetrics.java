package dev.taskwatch.poller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The poller's meters. Per target: {@code taskwatch.poller.requests} (tags target, outcome = HTTP status, API error
 * code, {@code timeout}, {@code connection} or {@code malformed}), {@code taskwatch.poller.snapshots.published},
 * {@code taskwatch.poller.cycle.duration}, {@code taskwatch.poller.tasks.inflight}, {@code taskwatch.poller.malformed},
 * {@code taskwatch.poller.watch.not-found} (ids dropped after the grace period). {@code taskwatch.poller.watchset.size}
 * is registered by {@link WatchSet}. Scheduling, per target: {@code taskwatch.poller.target.staleness} (seconds since
 * the last successful cycle), {@code taskwatch.poller.target.last.success} and {@code taskwatch.poller.target.last.publish}
 * (epoch seconds; NaN until the first). The per-credential budget meters are {@link LaneMetrics}.
 */
final class PollerMetrics {

    private final MeterRegistry registry;
    private final String target;
    private final Counter published;
    private final Counter malformed;
    private final Counter watchNotFound;
    private final Timer cycle;

    PollerMetrics(MeterRegistry registry, String target, Supplier<Number> inflight, DoubleSupplier staleness,
            DoubleSupplier lastSuccess, DoubleSupplier lastPublish) {
        this.registry = registry;
        this.target = target;
        this.published = Counter.builder("taskwatch.poller.snapshots.published").tag("target", target)
                .description("Snapshots acknowledged by Kafka").register(registry);
        this.malformed = Counter.builder("taskwatch.poller.malformed").tag("target", target)
                .description("Responses that could not be understood").register(registry);
        this.watchNotFound = Counter.builder("taskwatch.poller.watch.not-found").tag("target", target)
                .description("Watched ids still unknown to the API after the grace period").register(registry);
        this.cycle = Timer.builder("taskwatch.poller.cycle.duration").tag("target", target)
                .description("Duration of one poll cycle").register(registry);
        Gauge.builder("taskwatch.poller.tasks.inflight", inflight).tag("target", target)
                .description("Non-terminal tasks the target is known to have").register(registry);
        Gauge.builder("taskwatch.poller.target.staleness", staleness, DoubleSupplier::getAsDouble)
                .tag("target", target).baseUnit("seconds")
                .description("Seconds since the last successful poll cycle of the target").register(registry);
        Gauge.builder("taskwatch.poller.target.last.success", lastSuccess, DoubleSupplier::getAsDouble)
                .tag("target", target).baseUnit("seconds")
                .description("End of the last successful poll cycle, epoch seconds").register(registry);
        Gauge.builder("taskwatch.poller.target.last.publish", lastPublish, DoubleSupplier::getAsDouble)
                .tag("target", target).baseUnit("seconds")
                .description("When the target's snapshots were last acknowledged, epoch seconds").register(registry);
    }

    void request(String outcome) {
        Counter.builder("taskwatch.poller.requests").tag("target", target).tag("outcome", outcome)
                .description("Task-center requests by outcome").register(registry).increment();
    }

    void published(int count) {
        published.increment(count);
    }

    void malformed() {
        malformed.increment();
    }

    void watchNotFound() {
        watchNotFound.increment();
    }

    void cycle(Duration duration) {
        cycle.record(duration);
    }
}
