package dev.taskwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.transitions.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the notify fault ITs read back: the receiver's 2xx per event id, the dead letters, the group's committed
 * offsets, and the per-task order of either. Event ids are {@code <task>-<seq>}, seq counting from 1 per task.
 */
final class NotifyOutcomes {

    private NotifyOutcomes() {}

    /** Event {@code seq} of {@code task}: STARTED first, PROGRESSED after. */
    static TaskEvent event(String task, int seq) {
        TaskEvent e = RuleMatcherTest.event(seq == 1 ? TaskEventType.STARTED : TaskEventType.PROGRESSED, task,
                "CreateInstance", "db1", false);
        e.setEventId(task + "-" + seq);
        return e;
    }

    /** The record of {@code e} on the event topic, keyed by its task as transitions writes it. */
    static ProducerRecord<TaskKey, TaskEvent> record(String topic, TaskEvent e) {
        return new ProducerRecord<>(topic, null, new TaskKey(e.getService(), e.getRegion(), e.getProjectId(),
                e.getTaskId()), e, CloudEventHeaders.of(e));
    }

    static org.apache.kafka.common.serialization.Serializer<TaskKey> keys(Map<String, ?> serde) {
        return AvroSerdes.specific(TaskKey.class, serde, true).serializer();
    }

    static org.apache.kafka.common.serialization.Serializer<TaskEvent> values(Map<String, ?> serde) {
        return AvroSerdes.specific(TaskEvent.class, serde, false).serializer();
    }

    /** Idempotency keys of the calls to {@code path} that {@code receiver} answered 2xx, in the order they came. */
    static List<String> okIds(WireMockServer receiver, String path) {
        List<ServeEvent> events = new ArrayList<>(receiver.getAllServeEvents());
        Collections.reverse(events); // the journal lists the newest first
        return events.stream().filter(e -> e.getRequest().getUrl().equals(path))
                .filter(e -> e.getResponse().getStatus() / 100 == 2)
                .map(e -> e.getRequest().getHeader(WebhookSender.IDEMPOTENCY_KEY)).toList();
    }

    /** Every record of {@code topic} once at least {@code expected} arrived (and a second more), per partition. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "auto.offset.reset", "earliest", "group.id", "reader-" + topic), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            // a little longer: a repeat would arrive behind the expected ones
            for (int i = 0; i < 5; i++) {
                c.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return records;
    }

    /** The event ids of dead letters, in topic order (a task's dead letters share a partition). */
    static List<String> ids(List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        return deadLetters.stream().map(r -> header(r, CloudEventHeaders.ID)).toList();
    }

    /** The sum of {@code group}'s committed offsets on {@code topic}: the events it has finished with. */
    static long committed(String bootstrap, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic)).mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    /** Asserts that the ids of each task come in the task's order. */
    static void assertInTaskOrder(String what, List<String> ids) {
        Collection<List<String>> perTask = ids.stream()
                .collect(Collectors.groupingBy(id -> id.substring(0, id.lastIndexOf('-')))).values();
        assertThat(perTask).as(what + " in the order of each task").allSatisfy(taskIds -> assertThat(
                taskIds.stream().map(id -> Integer.parseInt(id.substring(id.lastIndexOf('-') + 1))).toList())
                .isSorted());
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
