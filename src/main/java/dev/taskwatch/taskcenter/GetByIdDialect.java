package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.time.Instant;
import java.util.Optional;

/** A service's get-by-id API, answering {@code {"job": {...}}} for one task id. */
public interface GetByIdDialect extends TaskCenterDialect {

    /** The get-by-id request for {@code taskId}. */
    ApiRequest getRequest(Target target, String taskId);

    /**
     * Whether an error response to a get-by-id call means "no such task" (a freshly created task may say so for
     * several seconds) rather than a failure. This is the only place that decides it for error statuses; a 2xx body
     * goes to {@link #parseGet}.
     */
    default boolean isNotFound(int httpStatus, String body) {
        return ApiError.isJobNotFound(httpStatus, body);
    }

    /**
     * Parses a successful (2xx) get-by-id response: the task, or empty when the answer holds no job.
     *
     * @throws TaskRejectedException      if the body is a readable document but the job in it cannot be normalised
     * @throws MalformedResponseException if the body cannot be understood, or its job has another id
     */
    Optional<TaskSnapshot> parseGet(Target target, String taskId, String body, Instant observedAt, String source)
            throws MalformedResponseException;
}
