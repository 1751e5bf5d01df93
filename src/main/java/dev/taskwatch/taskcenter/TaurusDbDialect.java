package dev.taskwatch.taskcenter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwatch.avro.TaskSnapshot;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * TaurusDB (GaussDB for MySQL) task center: get-by-id only, {@code GET /mysql/v3/{project_id}/jobs?id={id}} (note
 * the {@code /mysql} prefix), answering {@code {"job": {...}}} with {@code created}/{@code ended}, progress in
 * {@code process}, a nested {@code instance{id,name}} and a task-specific {@code entities} object, flattened into
 * {@code details} as {@code entities.<path>} (arrays by index: {@code entities.resource_ids.0}). Statuses include
 * Pending, Canceled and Unauthorized besides Running/Completed/Failed; {@code created} may be empty while an
 * instance is being created.
 */
public final class TaurusDbDialect extends AbstractDialect {

    public TaurusDbDialect() {
        super(Service.TAURUSDB);
    }

    @Override
    public boolean supportsGetById() {
        return true;
    }

    @Override
    public ApiRequest getRequest(Target target, String taskId) {
        checkTarget(target);
        return ApiRequest.get("/mysql/v3/" + target.projectId() + "/jobs",
                Map.of("id", DdsDialect.checkTaskId(taskId)));
    }

    @Override
    public Optional<TaskSnapshot> parseGet(Target target, String taskId, int httpStatus, String body,
            Instant observedAt, String source) throws MalformedResponseException {
        return parseJob(target, taskId, httpStatus, body, observedAt, source);
    }

    /** See {@link ApiError}: 404, or a 4xx whose message says the job does not exist. */
    @Override
    public boolean isNotFound(int httpStatus, String body) {
        return ApiError.isJobNotFound(httpStatus, body);
    }

    @Override
    Normalisation.RawTask readTask(JsonBody json, JsonNode task, String path) throws MalformedResponseException {
        JsonNode instance = json.optionalObject(task, path, "instance");
        String instancePath = JsonBody.path(path, "instance");
        Map<String, String> details = new TreeMap<>();
        JsonNode entities = task.get("entities");
        if (entities != null && !entities.isNull() && !entities.isObject()) {
            throw json.malformed(JsonBody.path(path, "entities") + " is not an object");
        }
        JsonBody.flatten("entities", entities, details);
        return new Normalisation.RawTask(
                json.requiredText(task, path, "id"),
                json.requiredString(task, path, "name"),
                json.requiredText(task, path, "status"),
                json.optionalProgress(task, path, "process"), "process",
                json.optionalText(task, path, "created"), "created",
                json.optionalText(task, path, "ended"), "ended",
                json.optionalText(instance, instancePath, "id"),
                json.optionalText(instance, instancePath, "name"),
                null,
                json.optionalText(task, path, "fail_reason"),
                details);
    }
}
