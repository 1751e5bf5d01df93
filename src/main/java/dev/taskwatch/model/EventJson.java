package dev.taskwatch.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.taskwatch.avro.TaskEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.avro.Schema;

/**
 * A {@link TaskEvent} as one line of JSON (the {@code jsonl} format of {@code --print-events} and {@code taskwatch
 * events}): the fields in schema order under their Avro names, timestamps as ISO-8601 UTC strings with milliseconds
 * ({@code 2026-05-04T10:15:30.000Z}), enums by name, absent values as {@code null}.
 */
public final class EventJson {

    /** timestamp-millis values always with three fraction digits, so every line has the same shape. */
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final JsonFactory JSON = new JsonFactory();

    private EventJson() {}

    /** One JSON object, without a trailing newline. */
    public static String format(TaskEvent event) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (Schema.Field field : TaskEvent.getClassSchema().getFields()) {
                json.writeFieldName(field.name());
                writeValue(json, event.get(field.pos()));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Instant instant) {
            json.writeString(TIMESTAMP.format(instant));
        } else if (value instanceof Integer i) {
            json.writeNumber(i);
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Enum<?> e) {
            json.writeString(e.name());
        } else {
            json.writeString(value.toString());
        }
    }
}
