package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge against Kafka's own plugin metrics ({@link PluginMetricsImpl} over a real {@link Metrics}, as a Connect
 * worker builds them for a task, with its {@code connector} and {@code task} tags).
 */
class PluginMetricsBridgeTest {

    private static final Map<String, String> WORKER_TAGS = workerTags();

    private final Metrics metrics = new Metrics();
    private final PluginMetricsImpl plugin = new PluginMetricsImpl(metrics, WORKER_TAGS);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() throws Exception {
        plugin.close();
        metrics.close();
    }

    @Test
    void shouldExposeCounterIncrementsAsCumulativeTotalWithTheMeterTagsAfterTheWorkerTags() {
        Counter requests = Counter.builder("taskwatch.poller.budget.requests").tag("credential", "a")
                .tag("purpose", "active").description("Task-center requests spent by the credential")
                .register(registry);
        PluginMetricsBridge.mirror(registry, plugin);

        requests.increment();
        requests.increment(2);

        KafkaMetric metric = metric("taskwatch-poller-budget-requests-total", "credential", "a", "purpose", "active");
        assertThat(metric.metricValue()).isEqualTo(3.0);
        assertThat(metric.metricName().group()).isEqualTo("plugins");
        assertThat(metric.metricName().tags().keySet()).containsExactly("connector", "task", "credential", "purpose");
        assertThat(metric.metricName().description()).startsWith("Task-center requests spent by the credential");
        requests.increment();
        assertThat(metric.metricValue()).isEqualTo(4.0);
    }

    @Test
    void shouldReadGaugesLive() {
        AtomicInteger watched = new AtomicInteger(2);
        Gauge.builder("taskwatch.poller.watchset.size", watched, AtomicInteger::get).register(registry);
        PluginMetricsBridge.mirror(registry, plugin);

        watched.set(7);

        assertThat(metric("taskwatch-poller-watchset-size").metricValue()).isEqualTo(7.0);
    }

    @Test
    void shouldExposeTimersAsCountSecondsTotalAndSecondsMax() {
        Timer lateness = Timer.builder("taskwatch.poller.schedule.lateness").tag("credential", "a").register(registry);
        PluginMetricsBridge.mirror(registry, plugin);

        lateness.record(Duration.ofMillis(500));
        lateness.record(Duration.ofSeconds(2));

        assertThat(metric("taskwatch-poller-schedule-lateness-count", "credential", "a").metricValue()).isEqualTo(2.0);
        assertThat(metric("taskwatch-poller-schedule-lateness-seconds-total", "credential", "a").metricValue())
                .isEqualTo(2.5);
        assertThat(metric("taskwatch-poller-schedule-lateness-seconds-max", "credential", "a").metricValue())
                .isEqualTo(2.0);
    }

    @Test
    void shouldExposeDistributionSummariesAsCountTotalAndMax() {
        DistributionSummary pages = DistributionSummary.builder("taskwatch.pages").register(registry);
        PluginMetricsBridge.mirror(registry, plugin);

        pages.record(3);
        pages.record(5);

        assertThat(metric("taskwatch-pages-count").metricValue()).isEqualTo(2.0);
        assertThat(metric("taskwatch-pages-total").metricValue()).isEqualTo(8.0);
        assertThat(metric("taskwatch-pages-max").metricValue()).isEqualTo(5.0);
    }

    @Test
    void shouldExposeMetersRegisteredAfterTheBridgeStarted() {
        PluginMetricsBridge.mirror(registry, plugin);

        // as PollerMetrics registers taskwatch.poller.requests on the first response of each outcome
        Counter.builder("taskwatch.poller.requests").tag("target", "dds-eu-de").tag("outcome", "200")
                .register(registry).increment();

        assertThat(metric("taskwatch-poller-requests-total", "outcome", "200", "target", "dds-eu-de").metricValue())
                .isEqualTo(1.0);
    }

    @Test
    void shouldRemoveTheMetricsOfARemovedMeter() {
        Counter kept = Counter.builder("taskwatch.poller.malformed").tag("target", "kept").register(registry);
        Counter removed = Counter.builder("taskwatch.poller.malformed").tag("target", "gone").register(registry);
        PluginMetricsBridge.mirror(registry, plugin);
        assertThat(pluginMetricNames()).hasSize(2);

        registry.remove(removed);

        assertThat(pluginMetricNames()).singleElement()
                .satisfies(name -> assertThat(name.tags()).containsEntry("target", "kept"));
        kept.increment();
        assertThat(metric("taskwatch-poller-malformed-total", "target", "kept").metricValue()).isEqualTo(1.0);
    }

    @Test
    void shouldRenameMeterTagsThatTheWorkerSetsItself() {
        Counter.builder("taskwatch.iam.requests").tag("connector", "other").tag("task", "7").tag("outcome", "ok")
                .register(registry).increment();
        PluginMetricsBridge.mirror(registry, plugin);

        KafkaMetric metric = metric("taskwatch-iam-requests-total", "meter-connector", "other", "meter-task", "7",
                "outcome", "ok");
        assertThat(metric.metricValue()).isEqualTo(1.0);
        assertThat(metric.metricName().tags()).containsEntry("connector", "taskwatch").containsEntry("task", "0");
    }

    @Test
    void shouldRemoveEveryMetricOnCloseAndIgnoreMetersRegisteredAfterwards() {
        Counter.builder("taskwatch.poller.snapshots.published").tag("target", "a").register(registry);
        PluginMetricsBridge bridge = PluginMetricsBridge.mirror(registry, plugin);
        assertThat(pluginMetricNames()).isNotEmpty();

        bridge.close();
        Counter.builder("taskwatch.poller.snapshots.published").tag("target", "b").register(registry);

        assertThat(pluginMetricNames()).isEmpty();
    }

    @Test
    void shouldCloseQuietlyWhenTheWorkerClosedThePluginMetricsFirst() throws Exception {
        Counter.builder("taskwatch.poller.snapshots.published").tag("target", "a").register(registry);
        PluginMetricsBridge bridge = PluginMetricsBridge.mirror(registry, plugin);

        plugin.close();
        Counter.builder("taskwatch.poller.snapshots.published").tag("target", "b").register(registry);
        bridge.close();

        assertThat(pluginMetricNames()).isEmpty();
    }

    @Test
    void shouldNameMetricsMechanicallyFromTheMeterName() {
        assertThat(PluginMetricsBridge.kafkaName("taskwatch.poller.watch.not-found"))
                .isEqualTo("taskwatch-poller-watch-not-found");
        assertThat(PluginMetricsBridge.kafkaName("taskwatch.poller.target.last.success"))
                .isEqualTo("taskwatch-poller-target-last-success");
        assertThat(PluginMetricsBridge.kafkaName("Some_Meter..name")).isEqualTo("some-meter-name");
    }

    private KafkaMetric metric(String name, String... tagPairs) {
        Map<String, String> tags = new LinkedHashMap<>(WORKER_TAGS);
        for (int i = 0; i < tagPairs.length; i += 2) {
            tags.put(tagPairs[i], tagPairs[i + 1]);
        }
        KafkaMetric metric = metrics.metric(metrics.metricName(name, "plugins", "", tags));
        assertThat(metric).as("plugin metric %s %s among %s", name, tags, pluginMetricNames()).isNotNull();
        return metric;
    }

    private List<MetricName> pluginMetricNames() {
        return metrics.metrics().keySet().stream().filter(n -> n.group().equals("plugins")).toList();
    }

    private static Map<String, String> workerTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("connector", "taskwatch");
        tags.put("task", "0");
        return tags;
    }
}
