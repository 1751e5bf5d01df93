package dev.taskwatch.transitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskState;
import dev.taskwatch.avro.TaskStatus;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class StoreSerdesTest {

    private final Serde<TaskState> serde = StoreSerdes.taskState();

    @Test
    void shouldRoundTripAStateBehindTheFormatVersionByte() {
        TaskState state = TaskState.newBuilder().setStatus(TaskStatus.RUNNING).setProgressPercent(null)
                .setMaxProgressPercent(40).setName("CreateInstance").setCreatedAt(Instant.parse("2026-11-22T10:00:00Z"))
                .setObservedAt(Instant.parse("2026-11-22T10:05:00Z"))
                .setLastSeenAt(Instant.parse("2026-11-22T10:05:01Z"))
                .setStartedEmitted(true).setLastConflictingStatus(TaskStatus.FAILED).setTerminalConflicts(2).build();
        byte[] bytes = serde.serializer().serialize("changelog", state);
        assertThat(bytes[0]).isEqualTo(StoreSerdes.STATE_FORMAT_V1);
        assertThat(serde.deserializer().deserialize("changelog", bytes)).isEqualTo(state);
    }

    @Test
    void shouldRefuseAnUnknownFormatVersionWithAClearMessage() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("app-task-state-changelog", new byte[] {9, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("format version 9")
                .hasMessageContaining("app-task-state-changelog");
    }

    @Test
    void shouldEncodeKeysStablyAsPlainAvro() {
        Serde<TaskKey> keys = StoreSerdes.taskKey();
        byte[] bytes = keys.serializer().serialize("t", new TaskKey("dds", "eu-de", "p1", "j"));
        // four length-prefixed strings (zig-zag varint lengths): 3 "dds", 5 "eu-de", 2 "p1", 1 "j"
        assertThat(bytes).containsExactly(6, 'd', 'd', 's', 10, 'e', 'u', '-', 'd', 'e', 4, 'p', '1', 2, 'j');
        assertThat(keys.deserializer().deserialize("t", bytes)).isEqualTo(new TaskKey("dds", "eu-de", "p1", "j"));
    }
}
