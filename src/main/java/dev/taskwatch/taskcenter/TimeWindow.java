package dev.taskwatch.taskcenter;

import java.time.Instant;

/** The creation-time window of a list request, {@code from} inclusive to {@code to}. */
public record TimeWindow(Instant from, Instant to) {

    public TimeWindow {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("Time window starts after it ends: " + from + " > " + to);
        }
    }
}
