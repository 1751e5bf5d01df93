package dev.taskwatch.taskcenter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwatch.avro.TaskSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the four dialects share: argument checks, the list-page and get-by-id skeletons, and refusing the calls a
 * service does not have. Subclasses say which fields carry what.
 */
abstract class AbstractDialect implements TaskCenterDialect {

    /** The APIs show about one month of history and refuse longer windows where they say so. */
    static final Duration THIRTY_DAYS = Service.MAX_WINDOW_SPAN;

    /** {@code yyyy-MM-dd'T'HH:mm:ssZ} in UTC, i.e. with a {@code +0000} offset, as GeminiDB and DDS want it. */
    static final DateTimeFormatter QUERY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Service service;

    AbstractDialect(Service service) {
        this.service = service;
    }

    @Override
    public final Service service() {
        return service;
    }

    @Override
    public boolean supportsListing() {
        return false;
    }

    @Override
    public boolean supportsGetById() {
        return false;
    }

    @Override
    public int maxPageSize() {
        throw unsupported("listing");
    }

    @Override
    public int pageSize(int wanted) {
        throw unsupported("listing");
    }

    @Override
    public Duration maxWindowSpan() {
        throw unsupported("listing");
    }

    @Override
    public ApiRequest listRequest(Target target, TimeWindow window, int offset, int limit) {
        throw unsupported("listing");
    }

    @Override
    public TaskPage parseList(Target target, String body, Instant observedAt, String source)
            throws MalformedResponseException {
        throw unsupported("listing");
    }

    @Override
    public ApiRequest getRequest(Target target, String taskId) {
        throw unsupported("get-by-id");
    }

    @Override
    public Optional<TaskSnapshot> parseGet(Target target, String taskId, int httpStatus, String body,
            Instant observedAt, String source) throws MalformedResponseException {
        throw unsupported("get-by-id");
    }

    @Override
    public boolean isNotFound(int httpStatus, String body) {
        throw unsupported("get-by-id");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    private UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(service.id() + " has no " + what + " API");
    }

    // ---- helpers for subclasses ----

    void checkTarget(Target target) {
        if (target.service() != service) {
            throw new IllegalArgumentException("Target " + target.name() + " is a " + target.service().id()
                    + " target, not " + service.id());
        }
    }

    /** Checks offset, limit against {@code allowed} and the window's span; the API would refuse them otherwise. */
    void checkListArguments(Target target, TimeWindow window, int offset, int limit, boolean endMustBeAfterStart) {
        checkTarget(target);
        if (offset < 0) {
            throw new IllegalArgumentException(service.id() + " list offset must not be negative: " + offset);
        }
        if (pageSize(limit) != limit) {
            throw new IllegalArgumentException(service.id() + " list limit " + limit + " is not accepted by the API"
                    + " (nearest accepted: " + pageSize(limit) + ")");
        }
        Duration span = Duration.between(window.from(), window.to());
        if (span.compareTo(maxWindowSpan()) > 0) {
            throw new IllegalArgumentException(service.id() + " list window " + window.from() + " .. " + window.to()
                    + " spans " + span + ", more than the API's maximum of " + maxWindowSpan());
        }
        if (endMustBeAfterStart && !window.to().truncatedTo(ChronoUnit.SECONDS)
                .isAfter(window.from().truncatedTo(ChronoUnit.SECONDS))) {
            throw new IllegalArgumentException(service.id() + " list window " + window.from() + " .. " + window.to()
                    + " is empty at second precision; the API wants an end time later than the start time");
        }
    }

    /** Seconds precision (sub-seconds cut, so the formatted span never exceeds the checked one). */
    static String queryTime(Instant instant) {
        return QUERY_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static String projectPath(Target target, String pathAfterProject) {
        return "/v3/" + target.projectId() + pathAfterProject;
    }

    /** Parses a list body: the array {@code arrayField} of task objects and an optional {@code total_count}. */
    TaskPage parsePage(Target target, String body, Instant observedAt, String source, String arrayField)
            throws MalformedResponseException {
        checkTarget(target);
        JsonBody json = JsonBody.parse(service, body);
        List<JsonNode> elements = json.array(json.root(), "", arrayField);
        Integer totalCount = json.optionalCount(json.root(), "", "total_count");
        List<TaskSnapshot> tasks = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            String path = arrayField + "[" + i + "]";
            JsonNode element = elements.get(i);
            if (!element.isObject()) {
                throw json.malformed(path + " is not an object");
            }
            tasks.add(snapshot(json, target, readTask(json, element, path), observedAt, source, path));
        }
        return new TaskPage(List.copyOf(tasks), totalCount);
    }

    /**
     * Parses a get-by-id body of a {@code {"job": {...}}} service: the task when the status is 2xx and the job is
     * there; empty when the API says the id is unknown (an error status that {@link #isNotFound} recognises, or a
     * 2xx whose {@code job} is absent or null).
     *
     * @throws MalformedResponseException for a 2xx body that cannot be understood, or whose job has another id
     * @throws IllegalArgumentException   for an error status that is not "not found": the caller should have
     *                                    handled it as an HTTP error
     */
    Optional<TaskSnapshot> parseJob(Target target, String taskId, int httpStatus, String body, Instant observedAt,
            String source) throws MalformedResponseException {
        checkTarget(target);
        if (httpStatus < 200 || httpStatus >= 300) {
            if (isNotFound(httpStatus, body)) {
                return Optional.empty();
            }
            throw new IllegalArgumentException(service.id() + " answered HTTP " + httpStatus + " for task " + taskId
                    + ApiError.parse(body).map(e -> " (" + e.describe() + ")").orElse("")
                    + "; only successful or not-found responses are parsed");
        }
        JsonBody json = JsonBody.parse(service, body);
        JsonNode job = json.optionalObject(json.root(), "", "job");
        if (job == null) {
            return Optional.empty();
        }
        Normalisation.RawTask raw = readTask(json, job, "job");
        if (!raw.id().strip().equals(taskId.strip())) {
            throw json.malformed("job.id is '" + raw.id() + "' but task '" + taskId + "' was asked for");
        }
        return Optional.of(snapshot(json, target, raw, observedAt, source, "job"));
    }

    private TaskSnapshot snapshot(JsonBody json, Target target, Normalisation.RawTask raw, Instant observedAt,
            String source, String path) throws MalformedResponseException {
        try {
            return Normalisation.snapshot(target, raw, observedAt, source);
        } catch (IllegalArgumentException e) {
            throw json.malformed(path + "." + e.getMessage());
        }
    }

    /** Reads one task object; {@code path} is its JSON path for messages, e.g. {@code jobs[3]}. */
    abstract Normalisation.RawTask readTask(JsonBody json, JsonNode task, String path)
            throws MalformedResponseException;
}
