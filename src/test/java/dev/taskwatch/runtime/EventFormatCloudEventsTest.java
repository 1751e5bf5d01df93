package dev.taskwatch.runtime;

import dev.taskwatch.model.EventJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code events --format cloudevents}: one structured-mode CloudEvent per line, readable by the SDK. */
class EventFormatCloudEventsTest {

    @Test
    void shouldPrintOneStructuredCloudEventPerLineWithTheEventAsJsonData() {
        TaskEvent event = TestEvents.failed();

        String line = EventFormat.CLOUDEVENTS.format(event);

        assertThat(line).doesNotContain("\n");
        CloudEvent read = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE)
                .deserialize(line.getBytes(StandardCharsets.UTF_8));
        assertThat(read.getId()).isEqualTo(event.getEventId());
        assertThat(read.getType()).isEqualTo("dev.taskwatch.task.failed");
        assertThat(read.getSubject()).isEqualTo(event.getTaskId());
        assertThat(read.getSource().toString()).isEqualTo("/otc/eu-de/dds/" + event.getProjectId());
        assertThat(new String(read.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo(EventJson.format(event));
    }
}
