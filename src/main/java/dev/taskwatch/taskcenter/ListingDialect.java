package dev.taskwatch.taskcenter;

import java.time.Duration;
import java.time.Instant;

/** A service's list API: a creation-time window read page by page with offset and limit. */
public interface ListingDialect extends TaskCenterDialect {

    /** The largest page size the list API accepts. */
    int maxPageSize();

    /** The page size the list API accepts that is closest to {@code wanted} (GeminiDB allows only 10, 20 or 50). */
    int pageSize(int wanted);

    /** The longest creation-time window one list request may span (30 days where the API says so). */
    Duration maxWindowSpan();

    /**
     * Whether public clients disagree on how this API reads {@code offset} (an item count, as documented, or a page
     * number): the poller then learns the reading from the answers ({@link OffsetReadingProbe}) before it pages.
     */
    default boolean offsetReadingUncertain() {
        return false;
    }

    /** The list request for one page. */
    ApiRequest listRequest(Target target, ListQuery query);

    /** The list request for one page of all tasks, the offset read as items. */
    default ApiRequest listRequest(Target target, TimeWindow window, int offset, int limit) {
        return listRequest(target, ListQuery.of(window, offset, limit));
    }

    /**
     * Parses a successful list response: the tasks it could read and a {@link TaskReject} for each element it could
     * not (one bad task does not make the page unreadable).
     *
     * @param limit      the {@code limit} the request asked for; a page with more elements is malformed, and parsing
     *                   stops at the first element too many, so a flooding answer costs no more memory than a full page
     * @param observedAt when the response was received (becomes {@code observed_at})
     * @param source     endpoint and path without credentials (becomes {@code source})
     * @throws MalformedResponseException if the page as a whole cannot be understood (not JSON, no task array, too
     *                                    many elements)
     */
    TaskPage parseList(Target target, String body, int limit, Instant observedAt, String source)
            throws MalformedResponseException;
}
