package dev.taskwatch.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.runtime.TestEvents;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void shouldWriteEveryFieldUnderItsAvroNameWithIsoTimestampsAndEnumNames() {
        assertThat(EventJson.format(TestEvents.failed())).isEqualTo("{"
                + "\"event_id\":\"0f8e4a8c-6d7b-3c1e-9a2f-5b4d3c2e1f00\","
                + "\"type\":\"FAILED\","
                + "\"service\":\"dds\","
                + "\"region\":\"eu-de\","
                + "\"project_id\":\"0123456789abcdef0123456789abcdef\","
                + "\"task_id\":\"b3c1e2d4-5f60-4a7b-8c9d-0e1f2a3b4c5d\","
                + "\"name\":\"CreateInstance\","
                + "\"status\":\"FAILED\","
                + "\"previous_status\":\"RUNNING\","
                + "\"progress_percent\":40,"
                + "\"previous_progress_percent\":35,"
                + "\"instance_id\":\"inst-42\","
                + "\"instance_name\":\"orders-db\","
                + "\"fail_reason\":\"Insufficient quota\","
                + "\"created_at\":\"2026-05-04T10:00:00.000Z\","
                + "\"ended_at\":\"2026-05-04T10:04:32.250Z\","
                + "\"duration_ms\":272250,"
                + "\"occurred_at\":\"2026-05-04T10:04:32.250Z\","
                + "\"detected_at\":\"2026-05-04T10:04:35.007Z\","
                + "\"backfill\":false}");
    }

    @Test
    void shouldKeepAbsentOptionalFieldsAsNull() throws Exception {
        JsonNode json = new ObjectMapper().readTree(EventJson.format(TestEvents.started("dds", "t-1", null)));

        assertThat(json.get("previous_status").isNull()).isTrue();
        assertThat(json.get("progress_percent").isNull()).isTrue();
        assertThat(json.get("ended_at").isNull()).isTrue();
        assertThat(json.get("backfill").asBoolean()).isFalse();
    }

    @Test
    void shouldCoverEverySchemaFieldInSchemaOrder() throws Exception {
        JsonNode json = new ObjectMapper().readTree(EventJson.format(TestEvents.failed()));
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);

        assertThat(names).containsExactlyElementsOf(
                TaskEvent.getClassSchema().getFields().stream().map(Schema.Field::name).toList());
    }

    @Test
    void shouldEscapeQuotesAndNewlinesInStrings() throws Exception {
        TaskEvent event = TestEvents.failed();
        event.setFailReason("disk \"data\" full\nretry later");

        String line = EventJson.format(event);

        assertThat(line).doesNotContain("\n");
        assertThat(new ObjectMapper().readTree(line).get("fail_reason").asText())
                .isEqualTo("disk \"data\" full\nretry later");
    }
}
