package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/** What the four dialects share: the service, argument checks and the get-by-id call. */
abstract class AbstractDialect implements TaskCenterDialect {

    /** The APIs show about one month of history and refuse longer windows where they say so. */
    static final Duration THIRTY_DAYS = Service.MAX_WINDOW_SPAN;

    private final Service service;

    AbstractDialect(Service service) {
        this.service = service;
    }

    @Override
    public final Service service() {
        return service;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    void checkTarget(Target target) {
        if (target.service() != service) {
            throw new IllegalArgumentException("Target " + target.name() + " is a " + target.service().id()
                    + " target, not " + service.id());
        }
    }

    /** Checks offset, limit against the page sizes and the window's span; the API would refuse them otherwise. */
    static void checkListArguments(ListingDialect dialect, Target target, TimeWindow window, int offset, int limit,
            boolean endMustBeAfterStart) {
        ((AbstractDialect) dialect).checkTarget(target);
        String service = dialect.service().id();
        if (offset < 0) {
            throw new IllegalArgumentException(service + " list offset must not be negative: " + offset);
        }
        if (dialect.pageSize(limit) != limit) {
            throw new IllegalArgumentException(service + " list limit " + limit + " is not accepted by the API"
                    + " (nearest accepted: " + dialect.pageSize(limit) + ")");
        }
        Duration span = Duration.between(window.from(), window.to());
        if (span.compareTo(dialect.maxWindowSpan()) > 0) {
            throw new IllegalArgumentException(service + " list window " + window.from() + " .. " + window.to()
                    + " spans " + span + ", more than the API's maximum of " + dialect.maxWindowSpan());
        }
        if (endMustBeAfterStart && !window.to().truncatedTo(ChronoUnit.SECONDS)
                .isAfter(window.from().truncatedTo(ChronoUnit.SECONDS))) {
            throw new IllegalArgumentException(service + " list window " + window.from() + " .. " + window.to()
                    + " is empty at second precision; the API wants an end time later than the start time");
        }
    }

    /**
     * {@code GET <pathPrefix>/v3/{project_id}/jobs?id=}: the get-by-id call of all four services (GeminiDB's is its
     * list filtered by id).
     */
    ApiRequest jobsById(String pathPrefix, Target target, String taskId) {
        checkTarget(target);
        return ApiRequest.get(pathPrefix + "/v3/" + target.projectId() + "/jobs", Map.of("id", checkTaskId(taskId)));
    }

    /** A {@code {"job": {...}}} answer of the get-by-id call, see {@link GetByIdDialect#parseGet}. */
    Optional<TaskSnapshot> parseJob(JobParser parser, Target target, String taskId, String body, Instant observedAt,
            String source) throws MalformedResponseException {
        checkTarget(target);
        return parser.parse(target, taskId, body, observedAt, source);
    }

    static String checkTaskId(String taskId) {
        if (taskId == null || taskId.isBlank()) {
            throw new IllegalArgumentException("task id must not be blank");
        }
        return taskId.strip();
    }
}
