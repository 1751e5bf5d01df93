package dev.taskwatch.poller;

import dev.taskwatch.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;

/** Drives a {@link Poller} built {@linkplain PollerBuilder#manual() manual} on the test thread, moving a clock. */
final class ManualDriver {

    private final ManualClock clock;
    private final Poller poller;

    ManualDriver(ManualClock clock, Poller poller) {
        this.clock = clock;
        this.poller = poller;
    }

    /** Runs every lane whenever it is due up to {@code until}, then leaves the clock at {@code until}. */
    void runUntil(Instant until) {
        while (true) {
            Instant next = poller.runDue();
            if (poller.failure().isPresent() || next.isAfter(until)) {
                break;
            }
            if (next.isAfter(clock.instant())) {
                clock.set(next);
            }
        }
        if (clock.instant().isBefore(until)) {
            clock.set(until);
        }
    }

    void runFor(Duration d) {
        runUntil(clock.instant().plus(d));
    }
}
