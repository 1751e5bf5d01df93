package dev.taskwatch.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes the streams of body reads that pass their deadline, which unblocks the read. One daemon thread looks at the
 * open reads every {@link #TICK}: starting and ending a read only add to and remove from a set. A timer task per read
 * (a {@code ScheduledThreadPoolExecutor}) woke that thread at every request to re-arm its wait, a measurable share of
 * the poller's own time per page on a small machine (docs/benchmarks.md, section 3). A deadline is therefore honoured
 * up to one tick late. With no read for {@link #QUIET_AFTER} the thread stops ticking until the next read.
 */
final class ReadDeadlines {

    static final Duration TICK = Duration.ofMillis(50);
    static final Duration QUIET_AFTER = Duration.ofSeconds(10);

    /** One read under watch. */
    static final class Deadline implements AutoCloseable {
        private final InputStream in;
        private final long deadlineNanos;
        private final AtomicBoolean expired = new AtomicBoolean();

        private Deadline(InputStream in, long deadlineNanos) {
            this.in = in;
            this.deadlineNanos = deadlineNanos;
        }

        /** Whether the deadline passed and the stream was closed. */
        boolean expired() {
            return expired.get();
        }

        private void expireIfDue(long now) {
            if (now - deadlineNanos >= 0 && expired.compareAndSet(false, true)) {
                try {
                    in.close();
                } catch (IOException | RuntimeException e) {
                    // closing to abandon the exchange; nothing left to do with a failure here
                }
            }
        }

        /** The read is over: no longer watched (an expiry already under way still completes). */
        @Override
        public void close() {
            OPEN.remove(this);
        }
    }

    private static final Set<Deadline> OPEN = ConcurrentHashMap.newKeySet();
    private static final Thread WATCHDOG = watchdog();
    /** Set while the watchdog waits without a timeout, so that only then a new read wakes it. */
    private static volatile boolean quiet;

    private ReadDeadlines() {}

    /** Watches a read of {@code in} until the returned deadline is closed; at {@code deadlineNanos} closes {@code in}. */
    static Deadline watch(InputStream in, long deadlineNanos) {
        Deadline d = new Deadline(in, deadlineNanos);
        OPEN.add(d);
        if (quiet) {
            LockSupport.unpark(WATCHDOG);
        }
        return d;
    }

    private static Thread watchdog() {
        Thread t = new Thread(ReadDeadlines::run, "taskwatch-http-deadline");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void run() {
        long lastBusy = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (!OPEN.isEmpty()) {
                lastBusy = now;
            } else if (now - lastBusy > QUIET_AFTER.toNanos()) {
                quiet = true;
                // a read added before quiet was visible is seen here; one added after it unparks this thread
                if (OPEN.isEmpty()) {
                    LockSupport.park();
                }
                quiet = false;
                lastBusy = System.nanoTime();
            }
            LockSupport.parkNanos(TICK.toNanos());
            long tick = System.nanoTime();
            for (Deadline d : OPEN) {
                d.expireIfDue(tick);
            }
        }
    }
}
