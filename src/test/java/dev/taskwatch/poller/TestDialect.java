package dev.taskwatch.poller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.MalformedResponseException;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.GetByIdDialect;
import dev.taskwatch.taskcenter.ListQuery;
import dev.taskwatch.taskcenter.ListingDialect;
import dev.taskwatch.taskcenter.TaskPage;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small dialect speaking {@link FakeTaskCenter}'s format: {@code GET /v3/{project}/tasks?from=&to=&offset=&limit=}
 * (epoch millis) answering {@code {"tasks":[{id,name,status,created}],"total_count":n}}, and
 * {@code GET /v3/{project}/task?id=} answering {@code {"task":{...}}} or 404 {@code TEST.404}.
 */
final class TestDialect implements ListingDialect, GetByIdDialect {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Service service;
    private final boolean listing;
    private final boolean getById;
    private final Duration maxSpan;

    TestDialect(Service service, boolean listing, boolean getById, Duration maxSpan) {
        this.service = service;
        this.listing = listing;
        this.getById = getById;
        this.maxSpan = maxSpan;
    }

    static TestDialect listingOnly() {
        return new TestDialect(Service.DDS, true, false, Duration.ofDays(30));
    }

    static TestDialect getByIdOnly() {
        return new TestDialect(Service.TAURUSDB, false, true, Duration.ofDays(30));
    }

    @Override
    public Service service() {
        return service;
    }

    /** Has both capabilities as types; the constructor's flags decide which it shows. */
    @Override
    public Optional<ListingDialect> listing() {
        return listing ? Optional.of(this) : Optional.empty();
    }

    @Override
    public Optional<GetByIdDialect> getById() {
        return getById ? Optional.of(this) : Optional.empty();
    }

    @Override
    public int maxPageSize() {
        return 100;
    }

    @Override
    public int pageSize(int wanted) {
        return Math.max(1, Math.min(100, wanted));
    }

    @Override
    public Duration maxWindowSpan() {
        return maxSpan;
    }

    @Override
    public ApiRequest listRequest(Target target, ListQuery query) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("from", String.valueOf(query.window().from().toEpochMilli()));
        q.put("to", String.valueOf(query.window().to().toEpochMilli()));
        q.put("offset", String.valueOf(query.offsetParameter()));
        q.put("limit", String.valueOf(query.limit()));
        if (query.runningOnly()) {
            q.put("status", "Running");
        }
        return ApiRequest.get("/v3/" + target.projectId() + "/tasks", q);
    }

    @Override
    public TaskPage parseList(Target target, String body, int limit, Instant observedAt, String source)
            throws MalformedResponseException {
        JsonNode root = read(body);
        JsonNode tasks = root.get("tasks");
        if (tasks == null || !tasks.isArray()) {
            throw new MalformedResponseException("test: no tasks array");
        }
        List<TaskSnapshot> out = new ArrayList<>();
        for (JsonNode t : tasks) {
            out.add(snapshot(target, t, observedAt, source));
        }
        JsonNode total = root.get("total_count");
        return new TaskPage(out, total == null ? null : total.asInt());
    }

    @Override
    public ApiRequest getRequest(Target target, String taskId) {
        return ApiRequest.get("/v3/" + target.projectId() + "/task", Map.of("id", taskId));
    }

    @Override
    public Optional<TaskSnapshot> parseGet(Target target, String taskId, String body, Instant observedAt,
            String source) throws MalformedResponseException {
        JsonNode task = read(body).get("task");
        if (task == null) {
            throw new MalformedResponseException("test: no task object");
        }
        return Optional.of(snapshot(target, task, observedAt, source));
    }

    @Override
    public boolean isNotFound(int httpStatus, String body) {
        return httpStatus == 404 && body != null && body.contains("TEST.404");
    }

    private static JsonNode read(String body) throws MalformedResponseException {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new MalformedResponseException("test: not a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new MalformedResponseException("test: invalid JSON", e);
        }
    }

    /** A task element as this dialect reads it (for tests that build snapshots without HTTP). */
    static TaskSnapshot read(Target target, JsonNode t, Instant observedAt) {
        try {
            return snapshot(target, t, observedAt, "model");
        } catch (MalformedResponseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static TaskSnapshot snapshot(Target target, JsonNode t, Instant observedAt, String source)
            throws MalformedResponseException {
        if (!t.hasNonNull("id") || !t.hasNonNull("status")) {
            throw new MalformedResponseException("test: task without id or status");
        }
        String raw = t.get("status").asText();
        TaskStatus status = switch (raw) {
            case "Running" -> TaskStatus.RUNNING;
            case "Completed" -> TaskStatus.COMPLETED;
            case "Failed" -> TaskStatus.FAILED;
            case "Pending" -> TaskStatus.PENDING;
            default -> TaskStatus.UNKNOWN;
        };
        return TaskSnapshot.newBuilder()
                .setService(target.service().id()).setRegion(target.region()).setProjectId(target.projectId())
                .setTaskId(t.get("id").asText()).setName(t.path("name").asText("").strip())
                .setStatus(status).setRawStatus(raw)
                .setProgressPercent(t.hasNonNull("progress") ? t.get("progress").asInt() : null)
                .setCreatedAt(t.hasNonNull("created") ? Instant.ofEpochMilli(t.get("created").asLong()) : null)
                .setDetails(Map.of()).setObservedAt(observedAt).setSource(source)
                .build();
    }
}
