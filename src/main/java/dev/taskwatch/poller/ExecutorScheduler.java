package dev.taskwatch.poller;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread per lane (per target). Why a thread per target rather than a shared pool: a cycle makes blocking
 * HTTP calls and waits its turn at the per-credential rate limiter; with its own thread a target can only ever delay
 * itself. Backoff is never slept inline: a failing cycle ends and the next one is scheduled after the backoff delay,
 * so closing is prompt. Targets number in the tens, so the thread count stays small.
 */
public final class ExecutorScheduler implements Scheduler {

    private final Map<String, ScheduledExecutorService> lanes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public void schedule(String lane, Duration delay, Runnable task) {
        if (closed) {
            return;
        }
        ScheduledExecutorService executor = lanes.computeIfAbsent(lane, l -> Executors.newSingleThreadScheduledExecutor(
                r -> {
                    Thread t = new Thread(r, "taskwatch-poller-" + l);
                    t.setDaemon(true);
                    return t;
                }));
        try {
            executor.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        lanes.values().forEach(ScheduledExecutorService::shutdownNow);
        for (ScheduledExecutorService executor : lanes.values()) {
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
