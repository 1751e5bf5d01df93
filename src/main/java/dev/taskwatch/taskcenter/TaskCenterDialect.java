package dev.taskwatch.taskcenter;

import java.util.Optional;

/**
 * How one service's task-center API is spoken (docs/design.md#data-contract). A dialect has one or both capabilities,
 * {@link ListingDialect} (a list API read with a time window and offset/limit paging) and {@link GetByIdDialect} (a
 * get-by-id API, polled for the ids of the watch set); a service lacking one simply does not implement it, so there is
 * nothing to call that could throw "unsupported". Pure: no I/O, no clock; the poller supplies the time a response was
 * received.
 */
public interface TaskCenterDialect {

    Service service();

    /** The list capability, if the service has a list API. */
    default Optional<ListingDialect> listing() {
        return this instanceof ListingDialect listing ? Optional.of(listing) : Optional.empty();
    }

    /** The get-by-id capability, if the service has a get-by-id API. */
    default Optional<GetByIdDialect> getById() {
        return this instanceof GetByIdDialect getById ? Optional.of(getById) : Optional.empty();
    }
}
