package dev.taskwatch.poller;

import dev.taskwatch.taskcenter.ListQuery;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.TaskPage;
import dev.taskwatch.taskcenter.TimeWindow;
import java.time.Duration;
import java.time.Instant;

/**
 * What a service's API offers to a {@link ListingPlan}, and the list requests it accepts: the creation-time windows
 * it can answer (inside its visible history and its largest span) and the query of one page. Pure.
 *
 * @param listing       whether the service has a list API (else only watched ids are read, by id)
 * @param getById       whether one task can be read by id
 * @param maxWindowSpan the longest creation-time window of one list request
 * @param pageSize      the page size asked for
 * @param reading       how the server reads {@code offset} until a probe says otherwise
 * @param probeOffset   whether to learn the reading from the answers before paging
 */
record ListingApi(boolean listing, boolean getById, Duration maxWindowSpan, int pageSize, OffsetReading reading,
        boolean probeOffset) {

    /** The APIs show about one month of history. */
    static final Duration API_HISTORY = Service.API_VISIBILITY;
    /** Keeps the window start clearly inside the visible history, whatever the API's clock says. */
    static final Duration HISTORY_MARGIN = Duration.ofMinutes(10);
    /** Window end beyond now: tasks created while the request travels, and clock skew. */
    static final Duration WINDOW_END_MARGIN = Duration.ofMinutes(1);

    ListingApi(boolean listing, boolean getById, Duration maxWindowSpan, int pageSize, OffsetReading reading) {
        this(listing, getById, maxWindowSpan, pageSize, reading, false);
    }

    /** A service with get-by-id only (TaurusDB). */
    static ListingApi getByIdOnly() {
        return new ListingApi(false, true, Duration.ZERO, 1, OffsetReading.ITEMS);
    }

    /**
     * A window from {@code from} to {@code now} plus a margin, never further back than the API's 30 days (minus a
     * margin) nor than the dialect's largest span.
     */
    TimeWindow window(Instant from, Instant now) {
        Instant to = now.plus(WINDOW_END_MARGIN);
        Instant historyFloor = now.minus(API_HISTORY).plus(HISTORY_MARGIN);
        Instant spanFloor = to.minus(maxWindowSpan);
        Instant floor = historyFloor.isAfter(spanFloor) ? historyFloor : spanFloor;
        return new TimeWindow(from.isBefore(floor) ? floor : from, to);
    }

    /** Whether {@code page}, read up to {@code offset}, is the last of its listing. */
    boolean lastPage(TaskPage page, int offset) {
        return page.elements() < pageSize || (page.totalCount() != null && offset >= page.totalCount());
    }

    /**
     * One page of the list over {@code window}.
     *
     * @param learned how the server reads {@code offset} as a probe found it, or null (then {@link #reading})
     */
    ListQuery query(TimeWindow window, int offset, boolean runningOnly, OffsetReading learned) {
        return new ListQuery(window, offset, pageSize, runningOnly, learned != null ? learned : reading);
    }
}
