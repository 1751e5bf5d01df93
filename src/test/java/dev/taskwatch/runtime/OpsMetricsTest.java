package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class OpsMetricsTest {

    @Test
    void shouldExposeTheMetricsOfABoundKafkaClientTaggedWithItsName() {
        // No broker needed: a producer has metrics as soon as it is constructed.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"), new StringSerializer(),
                new StringSerializer());
                OpsMetrics metrics = new OpsMetrics()) {
            metrics.bind(producer, "poller");

            assertThat(metrics.registry().getMeters()).map(Meter::getId)
                    .anySatisfy(id -> {
                        assertThat(id.getName()).startsWith("kafka.producer.");
                        assertThat(id.getTag("client")).isEqualTo("poller");
                    });
            assertThat(metrics.registry().scrape()).contains("kafka_producer_");
        }
    }

    @Test
    void shouldBindJvmMetrics() {
        try (OpsMetrics metrics = new OpsMetrics().bindJvm()) {
            assertThat(metrics.registry().scrape()).contains("jvm_threads_live_threads").contains("jvm_gc_");
        }
    }
}
