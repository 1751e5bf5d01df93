package dev.taskwatch.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that only moves when a test moves it. Safe to read from other threads (pollers, simulators) while the
 * test thread moves it; moves are atomic with each other, so an {@link #advance} from a backoff hook is never lost.
 */
public final class ManualClock extends Clock {

    private volatile Instant now;

    public ManualClock(Instant start) {
        this.now = start;
    }

    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    public synchronized void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Stays in UTC: every caller reads instants, and a copy in another zone would stop moving with this one. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
