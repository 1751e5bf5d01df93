package dev.taskwatch.connect;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/** A topic's committed records (read_committed), from the beginning to its current end: what an exactly-once reader sees. */
final class CommittedRecords {

    private CommittedRecords() {}

    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrapServers,
                "isolation.level", "read_committed", "group.id", "it-" + UUID.randomUUID());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** The committed task events of {@code topic}, read with the registry of {@code serde}. */
    static List<TaskEvent> taskEvents(String bootstrapServers, String topic, Map<String, Object> serde) {
        Deserializer<TaskEvent> values = AvroSerdes.specific(TaskEvent.class, serde, false).deserializer();
        return readAll(bootstrapServers, topic).stream().map(r -> values.deserialize(r.topic(), r.value())).toList();
    }

    /** How many distinct keys {@code topic}'s committed records have (e.g. targets with a stored position). */
    static long distinctKeys(String bootstrapServers, String topic) {
        return readAll(bootstrapServers, topic).stream().map(r -> new String(r.key(), StandardCharsets.UTF_8))
                .distinct().count();
    }
}
