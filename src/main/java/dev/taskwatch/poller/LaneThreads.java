package dev.taskwatch.poller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The {@link Poller}'s threaded mode: one daemon thread per credential lane, {@code taskwatch-poller-<credential>},
 * that runs the lane when due and sleeps until its next due time. A slow or throttled credential blocks only its own
 * thread. Apart from the poller so that manual driving (tests, benchmarks) shares all but the threads.
 */
final class LaneThreads {

    private final Clock clock;
    /** Read on every turn: the poller's running flag (false once stopped or failed). */
    private final BooleanSupplier running;
    /** Told of a fatal sink error; the thread that hit it ends. */
    private final Consumer<FatalSinkException> fatal;
    private final Object wake = new Object();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean woken;

    LaneThreads(Clock clock, BooleanSupplier running, Consumer<FatalSinkException> fatal) {
        this.clock = clock;
        this.running = running;
        this.fatal = fatal;
    }

    synchronized void start(CredentialLane lane) {
        Thread t = new Thread(() -> drive(lane), "taskwatch-poller-" + lane.credential());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void drive(CredentialLane lane) {
        while (running.getAsBoolean()) {
            Instant next;
            try {
                next = lane.runDue(clock.instant());
            } catch (FatalSinkException e) {
                fatal.accept(e);
                return;
            }
            long waitNanos = Duration.between(clock.instant(), next).toNanos();
            if (waitNanos <= 0) {
                continue;
            }
            synchronized (wake) {
                if (!woken && running.getAsBoolean()) {
                    try {
                        wake.wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** Wakes every sleeping lane: the targets or watched ids changed, or work was queued. */
    void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    /** Wakes the lanes without marking a change: they see the poller stopped and end. */
    void notifyStopped() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Waits up to {@code timeout} per thread for the request in flight to end. */
    void join(Duration timeout) {
        for (Thread t : threads) {
            try {
                t.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
