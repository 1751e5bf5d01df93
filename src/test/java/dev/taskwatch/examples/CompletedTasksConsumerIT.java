package dev.taskwatch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskwatch.model.Topics;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.runtime.TopicAdmin;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.testing.KafkaTestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Runs the consumer example of docs/consumers.md against an in-process broker. */
class CompletedTasksConsumerIT {

    private static final Map<String, Object> REGISTRY = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT,
            new InProcessSchemaRegistry()); // stands in for Map.of("schema.registry.url", "http://registry:8081")

    private static TaskEvent completed(String taskId, boolean backfill) {
        return TaskEvent.newBuilder().setEventId("completed-" + taskId).setType(TaskEventType.COMPLETED)
                .setService("dds").setRegion("eu-de").setProjectId("p1").setTaskId(taskId).setName("CreateInstance")
                .setStatus(TaskStatus.COMPLETED).setOccurredAt(Instant.parse("2026-12-01T10:00:00Z"))
                .setDetectedAt(Instant.parse("2026-12-01T10:00:01Z")).setBackfill(backfill).build();
    }

    @Test
    void shouldActOnceOnEachCommittedCompletedTaskSkippingAbortedRepeatedAndBackfilledEvents() throws Exception {
        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            Topics topics = new Topics("example.");
            new TopicAdmin(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    TopicAdmin.Settings.defaults().withPartitions(2, (short) 1)).createMissing(topics);
            String topic = topics.eventsOf(TaskEventType.COMPLETED);
            Map<String, Object> serde = REGISTRY;
            try (KafkaProducer<TaskKey, TaskEvent> producer = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(), "transactional.id", "example-producer"),
                    AvroSerdes.specific(TaskKey.class, serde, true).serializer(),
                    AvroSerdes.specific(TaskEvent.class, serde, false).serializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, new TaskKey("dds", "eu-de", "p1", "aborted"),
                        completed("aborted", false)));
                producer.abortTransaction();
                producer.beginTransaction();
                for (TaskEvent e : List.of(completed("t1", false), completed("t1", false), completed("t2", false),
                        completed("old", true))) {
                    producer.send(new ProducerRecord<>(topic, new TaskKey("dds", "eu-de", "p1", e.getTaskId()), e));
                }
                producer.commitTransaction();
            }

            List<String> actedOn = new ArrayList<>();
            try (CompletedTasksConsumer example = new CompletedTasksConsumer(kafka.bootstrapServers(), REGISTRY,
                    topics.prefix(), "example-group")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    example.pollOnce((GenericRecord e) -> actedOn.add(e.get("task_id").toString()));
                    return actedOn.size() >= 2;
                });
                example.pollOnce(e -> actedOn.add(e.get("task_id").toString()));
            }
            assertThat(actedOn).containsExactlyInAnyOrder("t1", "t2");
        }
    }
}
