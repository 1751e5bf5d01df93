package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How one service's task-center API is spoken: which requests to send and how to turn its responses into canonical
 * {@link TaskSnapshot}s (DESIGN.md section 2). Pure: no I/O, no clock; the poller supplies the time a response was
 * received. A dialect supports listing, get-by-id, or both.
 */
public interface TaskCenterDialect {

    Service service();

    /** Whether the service has a list API read with a time window and offset/limit paging. */
    boolean supportsListing();

    /** Whether the service has a get-by-id API, polled for the ids of the watch set. */
    boolean supportsGetById();

    /** The largest page size the list API accepts. */
    int maxPageSize();

    /** The page size the list API accepts that is closest to {@code wanted} (GeminiDB allows only 10, 20 or 50). */
    int pageSize(int wanted);

    /** The longest creation-time window one list request may span (30 days where the API says so). */
    Duration maxWindowSpan();

    /** The list request for one page. */
    ApiRequest listRequest(Target target, TimeWindow window, int offset, int limit);

    /**
     * Parses a successful list response.
     *
     * @param observedAt when the response was received (becomes {@code observed_at})
     * @param source     endpoint and path without credentials (becomes {@code source})
     */
    TaskPage parseList(Target target, String body, Instant observedAt, String source)
            throws MalformedResponseException;

    /** The get-by-id request for {@code taskId}. */
    ApiRequest getRequest(Target target, String taskId);

    /**
     * Parses a get-by-id response of any HTTP status: the task when found, empty when the API says the id is unknown
     * (a freshly created task may say so for several seconds).
     *
     * @throws MalformedResponseException if a 2xx body cannot be understood
     */
    Optional<TaskSnapshot> parseGet(Target target, String taskId, int httpStatus, String body, Instant observedAt,
            String source) throws MalformedResponseException;

    /** Whether an error response of a get-by-id call means "no such task" rather than a failure. */
    boolean isNotFound(int httpStatus, String body);
}
