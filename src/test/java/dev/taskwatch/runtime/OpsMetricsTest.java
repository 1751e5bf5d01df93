package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
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
    void shouldCountWhatTheBoundProducerDid() {
        // Two sends that fail fast (no broker answers within max.block.ms): the producer counts them as record errors,
        // and /metrics must show that count, not just the meter's name.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1", ProducerConfig.MAX_BLOCK_MS_CONFIG, 50),
                new StringSerializer(), new StringSerializer());
                OpsMetrics metrics = new OpsMetrics()) {
            metrics.bind(producer, "poller");
            double before = errors(metrics);

            for (int i = 0; i < 2; i++) {
                Future<?> sent = producer.send(new ProducerRecord<>("t", "k", "v"));
                assertThatThrownBy(sent::get).hasCauseInstanceOf(TimeoutException.class);
            }

            assertThat(before).isZero();
            assertThat(errors(metrics)).isEqualTo(2.0);
            assertThat(metrics.registry().scrape()).containsPattern(
                    "kafka_producer_record_error_total\\{[^}]*client=\"poller\"[^}]*} 2\\.0");
        }
    }

    private static double errors(OpsMetrics metrics) {
        return metrics.registry().get("kafka.producer.record.error.total").tag("client", "poller")
                .functionCounter().count();
    }

    @Test
    void shouldBindJvmMetrics() {
        try (OpsMetrics metrics = new OpsMetrics().bindJvm()) {
            assertThat(metrics.registry().get("jvm.threads.live").gauge().value()).isPositive();
            assertThat(metrics.registry().get("jvm.classes.loaded").gauge().value()).isGreaterThan(100);
            assertThat(metrics.registry().scrape()).contains("jvm_gc_");
        }
    }
}
