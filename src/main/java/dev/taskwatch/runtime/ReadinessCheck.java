package dev.taskwatch.runtime;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/** Answers {@code /health/ready}. Called on the ops server's thread: keep it cheap and non-blocking. */
@FunctionalInterface
public interface ReadinessCheck {

    Readiness check();

    /** Ready when every check is; the reasons of all that are not. */
    static ReadinessCheck all(List<ReadinessCheck> checks) {
        List<ReadinessCheck> copy = List.copyOf(checks);
        return () -> {
            List<String> reasons = new ArrayList<>();
            for (ReadinessCheck c : copy) {
                reasons.addAll(c.check().reasons());
            }
            return reasons.isEmpty() ? Readiness.up() : new Readiness(false, reasons);
        };
    }

    /**
     * Ready while the Streams instance is RUNNING and its stream threads reach Kafka; the reason names the state, or
     * the thread whose group coordinator has not had a heartbeat for {@link #HEARTBEAT_STALE}.
     */
    static ReadinessCheck streamsRunning(KafkaStreams streams) {
        return () -> {
            KafkaStreams.State state = streams.state();
            if (state != KafkaStreams.State.RUNNING) {
                return Readiness.down("Kafka Streams is " + state);
            }
            List<String> reasons = staleHeartbeats(streams.metrics());
            return reasons.isEmpty() ? Readiness.up() : new Readiness(false, reasons);
        };
    }

    /**
     * A heartbeat goes to the group coordinator every {@code heartbeat.interval.ms} (3 s): a stream thread that has
     * not sent one for longer has lost its brokers, although Kafka Streams keeps saying RUNNING until the session or
     * the poll interval expires (45 s to 5 minutes).
     */
    java.time.Duration HEARTBEAT_STALE = java.time.Duration.ofSeconds(15);

    /** One reason per stream-thread consumer whose last coordinator heartbeat is older than {@link #HEARTBEAT_STALE}. */
    static List<String> staleHeartbeats(java.util.Map<org.apache.kafka.common.MetricName,
            ? extends org.apache.kafka.common.Metric> metrics) {
        List<String> reasons = new ArrayList<>();
        metrics.forEach((name, metric) -> {
            if (!name.group().equals("consumer-coordinator-metrics") || !name.name().equals("last-heartbeat-seconds-ago")) {
                return;
            }
            Object value = metric.metricValue();
            if (value instanceof Number seconds && seconds.doubleValue() > HEARTBEAT_STALE.toSeconds()) {
                reasons.add("Kafka unreachable: consumer " + name.tags().getOrDefault("client-id", "?")
                        + " has not reached its group coordinator for " + seconds.longValue() + " s");
            }
        });
        return reasons;
    }
}
