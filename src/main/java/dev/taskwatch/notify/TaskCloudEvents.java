package dev.taskwatch.notify;

import dev.taskwatch.model.EventJson;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.transitions.CloudEventHeaders;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.nio.charset.StandardCharsets;

/**
 * A {@link TaskEvent} as a CloudEvent in structured mode, JSON event format (the body of a notify webhook call and a
 * line of {@code taskwatch events --format cloudevents}). The context attributes are read back from the very headers
 * the transitions application writes ({@link CloudEventHeaders}) with the SDK's Kafka reader, so both modes carry the
 * same id, source, type, subject and time by construction; the data is the event as JSON, the same object as a line of {@code events --format jsonl}, so
 * {@code datacontenttype} is {@code application/json} and there is no Avro {@code dataschema}.
 */
public final class TaskCloudEvents {

    /** The media type of a structured-mode JSON CloudEvent (the webhook's Content-Type). */
    public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;

    private static final EventFormat JSON = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    private TaskCloudEvents() {}

    public static CloudEvent of(TaskEvent event) {
        byte[] data = EventJson.format(event).getBytes(StandardCharsets.UTF_8);
        CloudEvent attributes = KafkaMessageFactory.createReader(CloudEventHeaders.of(event), data).toEvent();
        return CloudEventBuilder.v1(attributes).withDataContentType("application/json").withData(data).build();
    }

    /** The structured-mode JSON bytes (UTF-8, one line). */
    public static byte[] json(TaskEvent event) {
        return JSON.serialize(of(event));
    }

    /** The structured-mode JSON as one line of text. */
    public static String jsonLine(TaskEvent event) {
        return new String(json(event), StandardCharsets.UTF_8);
    }
}
