package dev.taskwatch.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.taskwatch.avro.TaskEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.avro.Schema;

/**
 * The {@code data} of a task CloudEvent: the event's fields in schema order under their Avro names, timestamps as
 * ISO-8601 UTC with milliseconds, enums by name, absent values as null. It is the object of the {@code jsonl} output
 * format; kept here because notify sits below the runtime and may not use the runtime's printer (a test holds the two
 * equal).
 */
final class EventData {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    private EventData() {}

    static byte[] json(TaskEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (Schema.Field field : TaskEvent.getClassSchema().getFields()) {
                json.writeFieldName(field.name());
                Object value = event.get(field.pos());
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
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory stream does not fail
        }
        return out.toByteArray();
    }
}
