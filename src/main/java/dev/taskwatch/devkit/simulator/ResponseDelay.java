package dev.taskwatch.devkit.simulator;

import java.time.Duration;

/** Delays a response; injected so that tests of the slow-response fault never sleep for real. */
@FunctionalInterface
public interface ResponseDelay {

    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep(long)}. */
    ResponseDelay REAL = d -> Thread.sleep(d.toMillis());
}
