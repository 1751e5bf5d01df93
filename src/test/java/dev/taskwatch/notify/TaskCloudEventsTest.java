package dev.taskwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.model.EventJson;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class TaskCloudEventsTest {

    @Test
    void shouldWriteAStructuredJsonCloudEventThatTheSdkReadsBack() {
        TaskEvent event = RuleMatcherTest.event(TaskEventType.COMPLETED, "t-9", "CreateInstance", "db1", false);

        byte[] json = TaskCloudEvents.json(event);
        CloudEvent read = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).deserialize(json);

        assertThat(read.getId()).isEqualTo(event.getEventId());
        assertThat(read.getSource()).isEqualTo(URI.create("/otc/eu-de/dds/p1"));
        assertThat(read.getType()).isEqualTo("dev.taskwatch.task.completed");
        assertThat(read.getSubject()).isEqualTo("t-9");
        assertThat(read.getTime()).isEqualTo(OffsetDateTime.parse("2026-12-01T10:00:00Z"));
        assertThat(read.getDataContentType()).isEqualTo("application/json");
        assertThat(read.getDataSchema()).isNull();
        assertThat(new String(read.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo(EventJson.format(event));
        // one line, as log shippers want it
        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("\n").contains("\"data\":{");
    }
}
