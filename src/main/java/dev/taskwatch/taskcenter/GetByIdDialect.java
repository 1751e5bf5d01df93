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

    /**
     * Whether a get-by-id answer has an instance-status field. Where it has none (openGauss's job detail, unlike its
     * list elements) its snapshots say nothing about the instance status, which is not the same as "no status": the
     * poller then compares them with the status a list last showed, so a task read by id after a listing is not
     * published again for the shape alone (docs/design.md, request-minimal listing).
     */
    default boolean getCarriesInstanceStatus() {
        return true;
    }
}
