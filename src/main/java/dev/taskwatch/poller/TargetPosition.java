package dev.taskwatch.poller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwatch.taskcenter.Target;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the poller of one target stands, so that a restart resumes instead of re-reading the API's 30-day history.
 *
 * <p>Stored as JSON, version 1 (the value of the compacted {@code <prefix>poller-positions} topic, key = target name;
 * in connector mode the same text is the source offset):
 * <pre>{@code
 * {"v":1, "service":"dds", "region":"eu-de", "project_id":"0a1b", "endpoint":"https://dds.eu-de.otc.t-systems.com",
 *  "listed_at":"2026-11-20T12:00:00Z", "running":{"task-id":"2026-11-20T11:40:00Z", ...}}
 * }</pre>
 * Why JSON and not Avro: the topic is internal to the poller and read only by it; JSON needs no schema registry at
 * start-up (the poller can resume even while the registry is slow), is readable with {@code kafka-console-consumer}
 * when an operator wonders why a target re-read its history, and Kafka Connect stores source offsets as JSON anyway,
 * so both modes share one format. {@code v} is checked: a reader meeting a newer version ignores the position (a full
 * read is always safe), never misreads it.
 *
 * @param service   service id of the target when the position was written
 * @param region    region of the target
 * @param projectId project of the target
 * @param endpoint  endpoint of the target; with service/region/project it guards against applying a position to a
 *                  target whose name now points elsewhere (see {@link #appliesTo})
 * @param listedAt  start of the last complete listing: every task created after {@code listedAt - lookback} and
 *                  terminal by then was published before this position was written
 * @param running   tasks seen non-terminal by that listing (task id to created_at): the window of the next listing
 *                  reaches back to the oldest of them, so a task that ended while taskwatch was down is read again
 */
public record TargetPosition(String service, String region, String projectId, String endpoint, Instant listedAt,
        Map<String, Instant> running) {

    /** The format version written. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    public TargetPosition {
        // A hash copy: a position is built after every complete listing, from up to every task of the target, and
        // sorting it there cost a noticeable share of the poller's own time; the JSON is sorted instead.
        running = Collections.unmodifiableMap(new HashMap<>(running));
    }

    /** The position of {@code target} after a complete listing started at {@code listedAt}. */
    public static TargetPosition of(Target target, Instant listedAt, Map<String, Instant> running) {
        return new TargetPosition(target.service().id(), target.region(), target.projectId(),
                endpointOf(target), listedAt, running);
    }

    /**
     * Whether this position was written for the same task center as {@code target} describes now: same service,
     * region, project and endpoint. A target renamed onto another project or endpoint must read its history afresh.
     */
    public boolean appliesTo(Target target) {
        return service.equals(target.service().id()) && region.equals(target.region())
                && projectId.equals(target.projectId()) && endpoint.equals(endpointOf(target));
    }

    private static String endpointOf(Target target) {
        String s = target.endpoint().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The version-1 JSON text. */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("service", service);
        node.put("region", region);
        node.put("project_id", projectId);
        node.put("endpoint", endpoint);
        node.put("listed_at", listedAt.toString());
        ObjectNode tasks = node.putObject("running");
        // sorted by task id, so that the same position always gives the same text
        new TreeMap<>(running).forEach((id, created) -> tasks.put(id, created.toString()));
        return node.toString();
    }

    /**
     * Reads a position written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException with a one-line reason when the text is not a position of a known version
     */
    public static TargetPosition fromJson(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("poller position is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("poller position is not a JSON object");
        }
        int version = node.path("v").asInt(-1);
        if (version != VERSION) {
            throw new IllegalArgumentException("poller position has version " + node.path("v")
                    + ", this taskwatch reads version " + VERSION);
        }
        try {
            Map<String, Instant> running = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("running").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                running.put(e.getKey(), Instant.parse(e.getValue().asText()));
            }
            return new TargetPosition(text(node, "service"), text(node, "region"), text(node, "project_id"),
                    text(node, "endpoint"), Instant.parse(text(node, "listed_at")), running);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("poller position has an invalid time: " + e.getParsedString());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("poller position lacks the text field '" + field + "'");
        }
        return value.asText();
    }

    /**
     * The Kafka Connect source offset: Connect allows only primitive values in offsets, so the JSON text travels as
     * one string field next to the version.
     */
    public Map<String, Object> toSourceOffset() {
        return Map.of("v", VERSION, "position", toJson());
    }

    /** Reads a {@link #toSourceOffset() source offset}; see {@link #fromJson}. */
    public static TargetPosition fromSourceOffset(Map<String, ?> offset) {
        Object json = offset.get("position");
        if (!(json instanceof String s)) {
            throw new IllegalArgumentException("source offset has no 'position' text");
        }
        return fromJson(s);
    }
}
