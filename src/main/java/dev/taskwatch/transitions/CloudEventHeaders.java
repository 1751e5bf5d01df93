package dev.taskwatch.transitions;

import dev.taskwatch.avro.TaskEvent;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Record headers of an event in the CloudEvents Kafka protocol binding, binary content mode (DESIGN.md section 2): the
 * record value is the event data (Confluent wire-format Avro), the context attributes are {@code ce_} headers.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    public static final String TYPE_PREFIX = "dev.taskwatch.task.";
    public static final String AVRO = "application/avro";

    private CloudEventHeaders() {}

    /** The headers for {@code event}. {@code ce_time} is its {@code occurred_at} in ISO-8601 UTC. */
    public static Headers of(TaskEvent event) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, SPEC_VERSION, "1.0");
        add(headers, ID, event.getEventId());
        add(headers, SOURCE, "/otc/" + event.getRegion() + "/" + event.getService() + "/" + event.getProjectId());
        add(headers, TYPE, TYPE_PREFIX + event.getType().name().toLowerCase(Locale.ROOT));
        add(headers, TIME, DateTimeFormatter.ISO_INSTANT.format(event.getOccurredAt()));
        add(headers, SUBJECT, event.getTaskId());
        add(headers, CONTENT_TYPE, AVRO);
        return headers;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
