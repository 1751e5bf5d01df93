package dev.taskwatch.poller;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** Runs scheduled tasks on the test thread in due order, moving a {@link ManualClock} to each due time. */
final class ManualScheduler implements Scheduler {

    record Scheduled(Instant due, long seq, String lane, Runnable task) {}

    private final ManualClock clock;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            (a, b) -> a.due.equals(b.due) ? Long.compare(a.seq, b.seq) : a.due.compareTo(b.due));
    final List<Scheduled> history = new ArrayList<>();
    private long seq;
    private boolean closed;

    ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void schedule(String lane, Duration delay, Runnable task) {
        if (!closed) {
            Scheduled s = new Scheduled(clock.instant().plus(delay), seq++, lane, task);
            queue.add(s);
            history.add(s);
        }
    }

    /** Runs every task due up to {@code until}, then leaves the clock at {@code until} (or later if a task slept). */
    void runUntil(Instant until) {
        while (true) {
            Scheduled next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(until)) {
                    break;
                }
                queue.poll();
            }
            if (next.due.isAfter(clock.instant())) {
                clock.set(next.due);
            }
            next.task.run();
        }
        if (clock.instant().isBefore(until)) {
            clock.set(until);
        }
    }

    void runFor(Duration d) {
        runUntil(clock.instant().plus(d));
    }

    synchronized int pending() {
        return queue.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }
}
