package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class ReadinessCheckTest {

    private static Map.Entry<MetricName, Metric> metric(String group, String name, String clientId, Object value) {
        MetricName metricName = new MetricName(name, group, "", Map.of("client-id", clientId));
        return Map.entry(metricName, new Metric() {
            @Override
            public MetricName metricName() {
                return metricName;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    private static Map<MetricName, Metric> metrics(Map.Entry<MetricName, Metric>... entries) {
        Map<MetricName, Metric> map = new LinkedHashMap<>();
        for (Map.Entry<MetricName, Metric> e : entries) {
            map.put(e.getKey(), e.getValue());
        }
        return map;
    }

    @Test
    void aStreamThreadWhoseCoordinatorHasHadNoHeartbeatForLongIsReportedAsKafkaUnreachable() {
        assertThat(ReadinessCheck.staleHeartbeats(metrics(
                metric("consumer-coordinator-metrics", "last-heartbeat-seconds-ago", "app-StreamThread-1-consumer", 26.0),
                metric("consumer-coordinator-metrics", "last-heartbeat-seconds-ago", "app-StreamThread-2-consumer", 2.0))))
                .containsExactly("Kafka unreachable: consumer app-StreamThread-1-consumer has not reached its group "
                        + "coordinator for 26 s");
    }

    @Test
    void recentHeartbeatsNeverSentHeartbeatsAndOtherMetricsAreNotReasons() {
        assertThat(ReadinessCheck.staleHeartbeats(metrics(
                metric("consumer-coordinator-metrics", "last-heartbeat-seconds-ago", "a-consumer", 3.0),
                metric("consumer-coordinator-metrics", "last-heartbeat-seconds-ago", "b-consumer", -1.0),
                metric("consumer-fetch-manager-metrics", "last-heartbeat-seconds-ago", "c-consumer", 100.0),
                metric("consumer-coordinator-metrics", "last-rebalance-seconds-ago", "d-consumer", 100.0)))).isEmpty();
    }
}
