package dev.taskwatch.connect;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors every meter of a task's Micrometer registry, present and future, into the task's Kafka
 * {@link PluginMetrics} (KIP-877), which the worker exposes through JMX and its metrics reporters with the
 * {@code connector} and {@code task} tags added. Each Kafka metric is a {@link Gauge} that reads the live Micrometer
 * value, so nothing is copied on a schedule.
 *
 * <p>The mapping is mechanical. The Micrometer name is lowercased and every run of characters other than
 * {@code a-z0-9} becomes one dash ({@code taskwatch.poller.budget.requests} becomes
 * {@code taskwatch-poller-budget-requests}); then, by meter type:
 * <ul>
 *   <li>counter (and function counter): {@code <name>-total}, the cumulative count;
 *   <li>gauge: {@code <name>}, the value; a time gauge: {@code <name>-seconds};
 *   <li>timer (and function timer): {@code <name>-count}, {@code <name>-seconds-total} and {@code <name>-seconds-max}
 *       (the largest recording of the last few minutes; a function timer has no max);
 *   <li>distribution summary: {@code <name>-count}, {@code <name>-total}, {@code <name>-max};
 *   <li>any other meter: one {@code <name>-<statistic>} per measurement ({@code -active}, {@code -duration}, ...).
 * </ul>
 * Micrometer tags become metric tags, keys and values as they are, after the worker's tags. The worker's
 * {@code PluginMetrics} refuses a tag key it sets itself, so a meter tag named {@code connector} or {@code task} is
 * renamed to {@code meter-connector} or {@code meter-task}.
 */
final class PluginMetricsBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginMetricsBridge.class);
    private static final Set<String> WORKER_TAGS = Set.of("connector", "task");
    private static final String RENAMED_TAG_PREFIX = "meter-";

    private final PluginMetrics plugin;
    private final Map<Meter.Id, List<MetricName>> mirrored = new HashMap<>();
    private boolean closed;

    private PluginMetricsBridge(PluginMetrics plugin) {
        this.plugin = plugin;
    }

    /**
     * Mirrors {@code registry} into {@code plugin} until {@link #close()}: the meters registered now, and those
     * registered or removed later.
     */
    static PluginMetricsBridge mirror(MeterRegistry registry, PluginMetrics plugin) {
        PluginMetricsBridge bridge = new PluginMetricsBridge(Objects.requireNonNull(plugin, "no plugin metrics"));
        // listeners first, then the meters already there: a meter registered in between is seen twice, added once
        registry.config().onMeterAdded(bridge::add).onMeterRemoved(bridge::remove);
        registry.getMeters().forEach(bridge::add);
        return bridge;
    }

    /** The Kafka metric name of a Micrometer meter name, before the type's suffix. */
    static String kafkaName(String meterName) {
        return meterName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private synchronized void add(Meter meter) {
        if (closed || mirrored.containsKey(meter.getId())) {
            return;
        }
        String base = kafkaName(meter.getId().getName());
        String description = meter.getId().getDescription() == null ? "" : meter.getId().getDescription();
        LinkedHashMap<String, String> tags = tags(meter.getId());
        List<MetricName> names = new ArrayList<>();
        for (Value value : values(meter)) {
            try {
                MetricName name = plugin.metricName(base + value.suffix(), description + value.explanation(), tags);
                DoubleSupplier reading = value.reading();
                plugin.addMetric(name, (Gauge<Double>) (config, now) -> reading.getAsDouble());
                names.add(name);
            } catch (IllegalStateException e) {
                return; // the worker closed the task's plugin metrics: the task is stopping
            } catch (RuntimeException e) {
                // e.g. still registered by a previous instance of this task that has not stopped yet. Not rethrown:
                // this runs inside the registration of the poller's meter, which must not fail for it
                LOG.warn("Metric {}{} not exposed to Kafka Connect: {}", base, value.suffix(), e.toString());
            }
        }
        mirrored.put(meter.getId(), names);
    }

    private synchronized void remove(Meter meter) {
        List<MetricName> names = mirrored.remove(meter.getId());
        if (names != null && !closed) {
            removeAll(names);
        }
    }

    /** Removes every mirrored metric and stops following the registry. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        mirrored.values().forEach(this::removeAll);
        mirrored.clear();
    }

    private void removeAll(List<MetricName> names) {
        for (MetricName name : names) {
            try {
                plugin.removeMetric(name);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // already closed by the worker (it removes them all itself) or already removed: nothing left to do
            }
        }
    }

    private static LinkedHashMap<String, String> tags(Meter.Id id) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        for (Tag tag : id.getTagsAsIterable()) {
            // the worker adds connector and task to every plugin metric and refuses them as plugin tags
            String key = WORKER_TAGS.contains(tag.getKey()) ? RENAMED_TAG_PREFIX + tag.getKey() : tag.getKey();
            tags.put(key, tag.getValue());
        }
        return tags;
    }

    /** One Kafka metric of a meter: the suffix after its base name, what it measures, and its live reading. */
    private record Value(String suffix, String explanation, DoubleSupplier reading) {}

    private static List<Value> values(Meter meter) {
        return meter.match(
                gauge -> List.of(new Value("", "", gauge::value)),
                counter -> List.of(new Value("-total", " (cumulative count)", counter::count)),
                PluginMetricsBridge::timer,
                PluginMetricsBridge::summary,
                longTaskTimer -> measurements(longTaskTimer),
                timeGauge -> List.of(new Value("-seconds", " (seconds)", () -> timeGauge.value(TimeUnit.SECONDS))),
                functionCounter -> List.of(new Value("-total", " (cumulative count)", functionCounter::count)),
                PluginMetricsBridge::functionTimer,
                PluginMetricsBridge::measurements);
    }

    private static List<Value> timer(Timer timer) {
        return List.of(
                new Value("-count", " (count)", () -> timer.count()),
                new Value("-seconds-total", " (total, seconds)", () -> timer.totalTime(TimeUnit.SECONDS)),
                new Value("-seconds-max", " (largest of the last minutes, seconds)",
                        () -> timer.max(TimeUnit.SECONDS)));
    }

    private static List<Value> summary(DistributionSummary summary) {
        return List.of(
                new Value("-count", " (count)", () -> summary.count()),
                new Value("-total", " (total)", summary::totalAmount),
                new Value("-max", " (largest of the last minutes)", summary::max));
    }

    private static List<Value> functionTimer(FunctionTimer timer) {
        return List.of(
                new Value("-count", " (count)", timer::count),
                new Value("-seconds-total", " (total, seconds)", () -> timer.totalTime(TimeUnit.SECONDS)));
    }

    private static List<Value> measurements(Meter meter) {
        List<Value> values = new ArrayList<>();
        for (Measurement m : meter.measure()) {
            Statistic statistic = m.getStatistic();
            values.add(new Value("-" + kafkaName(statistic.getTagValueRepresentation()),
                    " (" + statistic.getTagValueRepresentation() + ")", () -> reading(meter, statistic)));
        }
        return values;
    }

    private static double reading(Meter meter, Statistic statistic) {
        for (Measurement m : meter.measure()) {
            if (m.getStatistic() == statistic) {
                return m.getValue();
            }
        }
        return Double.NaN;
    }
}
