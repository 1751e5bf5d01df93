package dev.taskwatch.transitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.serde.AvroDeserializer;
import dev.taskwatch.serde.AvroSerializer;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.serde.WireFormat;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class EncodeOnceSerializerTest {

    private static final String ALL = "taskwatch.task-events";
    private static final String COMPLETED = "taskwatch.task-events.completed";

    private final InProcessSchemaRegistry registry = new InProcessSchemaRegistry();
    private final Map<String, Object> config = Map.of("schema.registry.url", "http://unused.invalid");
    private final List<String> delegateCalls = new ArrayList<>();

    private static TaskEvent event(String taskId) {
        return TransitionRules.of(TransitionSettings.defaults()).apply(null,
                Snapshots.snap(taskId, TaskStatus.COMPLETED, 100, 60), Instant.now()).events().get(0);
    }

    /** The real Avro serializer, counting the topics it is asked to serialize for. */
    private Serializer<TaskEvent> counting(Serializer<TaskEvent> real) {
        return (topic, data) -> {
            delegateCalls.add(topic);
            return real.serialize(topic, data);
        };
    }

    /** Over the real serializer, after one event to each topic (which teaches it both topics' ids). */
    private EncodeOnceSerializer<TaskEvent> warmedUp() {
        EncodeOnceSerializer<TaskEvent> serializer = new EncodeOnceSerializer<>(
                counting(new AvroSerializer<>(registry, config, false)));
        serializer.serialize(ALL, event("warm-up"));
        serializer.serialize(COMPLETED, event("warm-up"));
        delegateCalls.clear();
        return serializer;
    }

    private TaskEvent read(byte[] bytes) {
        return new AvroDeserializer<>(registry, TaskEvent.class, config, false).deserialize(COMPLETED, bytes);
    }

    @Test
    void shouldEncodeAnEventOnceForBothTopicsWhenTheirSubjectsShareTheSchemaId() {
        EncodeOnceSerializer<TaskEvent> serializer = warmedUp();

        TaskEvent event = event("t-1");
        byte[] all = serializer.serialize(ALL, event);
        byte[] perType = serializer.serialize(COMPLETED, event);

        assertThat(delegateCalls).containsExactly(ALL);
        assertThat(perType).isSameAs(all);
        assertThat(read(perType)).isEqualTo(event);
    }

    @Test
    void shouldEncodeAgainWhenThePerTypeSubjectResolvesToAnotherSchemaId() {
        // A delegate that frames each topic with its own id, as a registry numbering per subject would.
        Serializer<TaskEvent> perSubjectIds = (topic, data) -> {
            delegateCalls.add(topic);
            return ByteBuffer.allocate(WireFormat.HEADER_SIZE + 1).put(WireFormat.MAGIC_BYTE)
                    .putInt(topic.equals(ALL) ? 1 : 2).put((byte) 7).array();
        };
        EncodeOnceSerializer<TaskEvent> serializer = new EncodeOnceSerializer<>(perSubjectIds);
        for (int i = 0; i < 3; i++) {
            TaskEvent event = event("t-" + i);
            byte[] all = serializer.serialize(ALL, event);
            byte[] perType = serializer.serialize(COMPLETED, event);
            assertThat(WireFormat.readSchemaId(all, ALL)).isEqualTo(1);
            assertThat(WireFormat.readSchemaId(perType, COMPLETED)).isEqualTo(2);
        }
        assertThat(delegateCalls).hasSize(6);
    }

    @Test
    void shouldEncodeAnotherEventInstanceAgain() {
        EncodeOnceSerializer<TaskEvent> serializer = warmedUp();
        TaskEvent first = event("t-2");
        TaskEvent second = event("t-3");
        serializer.serialize(ALL, first);
        byte[] perType = serializer.serialize(COMPLETED, second);
        assertThat(delegateCalls).containsExactly(ALL, COMPLETED);
        assertThat(read(perType)).isEqualTo(second);
    }
}
