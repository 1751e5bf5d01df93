package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.taskcenter.Target;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaPositionStoreTest {

    @Test
    void shouldWriteThePositionJsonKeyedByTargetNameWithAnIdempotentProducer() {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        Target t = new Target("dds/eu-de/p1", TestDialect.listingOnly().service(), "eu-de", "p1",
                URI.create("http://x"), "c", Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofHours(1));
        TargetPosition position = TargetPosition.of(t, Instant.parse("2026-11-20T12:00:00Z"), Map.of());
        try (KafkaPositionStore store = new KafkaPositionStore(Map.of(), producer, "pfx.poller-positions")) {
            store.store(t, position);
        }
        assertThat(producer.history()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("pfx.poller-positions");
            assertThat(r.key()).isEqualTo("dds/eu-de/p1");
            assertThat(TargetPosition.fromJson(r.value())).isEqualTo(position);
        });
        Map<String, Object> config = KafkaPositionStore.producerConfig(Map.of("bootstrap.servers", "b:9092"));
        assertThat(config).containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
    }

    @Test
    void shouldPartitionPositionsByTheirStringKeyNotByTaskIdentity() {
        // the snapshot producer's TaskKeyPartitioner throws on a String key: a position record could never be sent
        Map<String, Object> config = KafkaPositionStore.producerConfig(Map.of("bootstrap.servers", "b:9092"));

        assertThat(config).doesNotContainKey(ProducerConfig.PARTITIONER_CLASS_CONFIG)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-poller-positions");
    }
}
