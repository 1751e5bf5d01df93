package dev.taskwatch.examples;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Acts once on every completed task: reads the per-type topic, sees only committed events, and drops repeats by
 * event_id. Works with any Confluent-compatible Avro deserializer (taskwatch's, Confluent's KafkaAvroDeserializer,
 * Apicurio's in Confluent mode): they share the settings below.
 */
public final class CompletedTasksConsumer implements AutoCloseable {

    private final KafkaConsumer<Object, GenericRecord> consumer;
    // event_ids already acted on; keep this where your side effect lives (a database table) to survive restarts
    private final Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 100_000;
        }
    };

    /** @param registry e.g. {@code Map.of("schema.registry.url", "http://registry:8081")} plus any auth settings */
    public CompletedTasksConsumer(String bootstrapServers, Map<String, Object> registry, String topicPrefix,
            String groupId) {
        Map<String, Object> settings = new HashMap<>(registry);
        settings.putAll(Map.of(
                "bootstrap.servers", bootstrapServers,
                "group.id", groupId,
                // events are written in Kafka transactions: without this a reader also sees aborted writes
                "isolation.level", "read_committed",
                "enable.auto.commit", false,
                "auto.offset.reset", "earliest",
                "key.deserializer", "dev.taskwatch.serde.AvroDeserializer",
                "value.deserializer", "dev.taskwatch.serde.AvroDeserializer"));
        consumer = new KafkaConsumer<>(settings);
        consumer.subscribe(List.of(topicPrefix + "task-events.completed"));
    }

    /** Polls once and hands every new completed task to {@code action}; returns how many were new. */
    public int pollOnce(Consumer<GenericRecord> action) {
        int acted = 0;
        for (ConsumerRecord<Object, GenericRecord> record : consumer.poll(Duration.ofMillis(500))) {
            GenericRecord event = record.value();
            if (event == null) {
                continue;
            }
            String eventId = event.get("event_id").toString();
            if (seen.putIfAbsent(eventId, Boolean.TRUE) != null) {
                continue; // a repeat (e.g. after a producer retry or a rebuilt store): already handled
            }
            if (Boolean.TRUE.equals(event.get("backfill"))) {
                continue; // history replayed on first start or after an outage: nothing to do now
            }
            action.accept(event);
            acted++;
        }
        consumer.commitSync(); // after acting: a crash before this repeats the batch, deduplicated above
        return acted;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
