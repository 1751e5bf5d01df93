package dev.taskwatch.taskcenter;

import java.util.Objects;

/**
 * One page of a list request, in the poller's terms: the dialect turns it into its API's query parameters.
 *
 * @param window      the creation-time window
 * @param offset      how many elements of the listing come before this page (an item offset, whatever the server
 *                    reads: {@link OffsetReading} says how to send it)
 * @param limit       the page size, one the API accepts ({@link ListingDialect#pageSize(int)})
 * @param runningOnly whether to ask only for tasks in status {@code Running} (all three list APIs filter by status;
 *                    Pending and unknown statuses cannot be asked for, so the poller reads those by id)
 * @param reading     how the server reads the {@code offset} parameter
 */
public record ListQuery(TimeWindow window, int offset, int limit, boolean runningOnly, OffsetReading reading) {

    public ListQuery {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(reading, "reading");
    }

    /** A page of all tasks, offset read as items (what the documents say). */
    public static ListQuery of(TimeWindow window, int offset, int limit) {
        return new ListQuery(window, offset, limit, false, OffsetReading.ITEMS);
    }

    /** The offset parameter to send for this page. */
    public int offsetParameter() {
        return reading.parameter(offset, limit);
    }
}
