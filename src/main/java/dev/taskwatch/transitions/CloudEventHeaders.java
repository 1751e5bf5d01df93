package dev.taskwatch.transitions;

import dev.taskwatch.avro.TaskEvent;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Record headers of an event in the CloudEvents Kafka protocol binding, binary content mode (docs/design.md#data-contract): the
 * record value is the event data (Confluent wire-format Avro), the context attributes are {@code ce_} headers.
 *
 * <p>The data is not plain Avro binary: it starts with a magic byte and the 4-byte registry id of the writer schema.
 * {@code application/avro} would tell a generic reader to decode it as plain Avro (and fail on the 5-byte frame), so
 * the content type is a vendor type naming the framing, and {@code ce_dataschema} (added by {@link
 * DataSchemaHeaderSerializer}, the only place that knows the id) is the registry URL of that exact writer schema.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String DATA_SCHEMA = "ce_dataschema";
    public static final String CONTENT_TYPE = "content-type";
    public static final String TYPE_PREFIX = "dev.taskwatch.task.";
    /** Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary. */
    public static final String CONFLUENT_AVRO = "application/vnd.taskwatch.confluent-avro";

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
        add(headers, CONTENT_TYPE, CONFLUENT_AVRO);
        return headers;
    }

    /**
     * The {@code ce_dataschema} of data written with schema {@code schemaId}: the Confluent-API URL that returns the
     * writer schema ({@code <registry>/schemas/ids/<id>}), on the first registry URL, without any user-info.
     */
    public static String dataSchema(String registryUrl, int schemaId) {
        String url = registryUrl.strip();
        int authorityStart = url.indexOf("://") + 3;
        int pathStart = url.indexOf('/', authorityStart);
        String authority = pathStart < 0 ? url.substring(authorityStart) : url.substring(authorityStart, pathStart);
        String base = url.substring(0, authorityStart) + authority.substring(authority.lastIndexOf('@') + 1)
                + (pathStart < 0 ? "" : url.substring(pathStart));
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/schemas/ids/" + schemaId;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
