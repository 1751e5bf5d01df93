package dev.taskwatch.devkit.bench;

import dev.taskwatch.poller.Poller;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the benches move by hand, so that hours of polling run in seconds. */
final class VirtualClock extends Clock {

    private volatile Instant now;

    VirtualClock(Instant start) {
        this.now = start;
    }

    void set(Instant instant) {
        now = instant;
    }

    /**
     * Runs the poller's due work on this clock up to {@code until}, jumping to each next due time (never back), and
     * leaves the clock at {@code until}.
     *
     * @throws IllegalStateException if the poller failed
     */
    void drive(Poller poller, Instant until) {
        while (true) {
            Instant next = poller.runDue();
            if (poller.failure().isPresent()) {
                throw new IllegalStateException("Poller failed", poller.failure().get());
            }
            if (next.isAfter(until)) {
                break;
            }
            if (next.isAfter(now)) {
                now = next;
            }
        }
        now = until;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
