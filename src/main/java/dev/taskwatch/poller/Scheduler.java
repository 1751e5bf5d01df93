package dev.taskwatch.poller;

import java.time.Duration;

/**
 * Runs tasks later. A <em>lane</em> is a sequence of tasks that never overlap (the poller uses one lane per target),
 * while different lanes run independently, so a slow or backing-off target never delays another. Injected so tests
 * run everything on one thread with a manual clock.
 */
public interface Scheduler extends AutoCloseable {

    /** Runs {@code task} on {@code lane} after {@code delay}. Ignored once closed. */
    void schedule(String lane, Duration delay, Runnable task);

    /** Cancels pending tasks and waits (bounded) for running ones to finish. */
    @Override
    void close();
}
