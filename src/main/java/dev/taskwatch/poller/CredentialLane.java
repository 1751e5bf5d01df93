package dev.taskwatch.poller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The due-time queue and request budget of one credential: decides which of its targets sends the next request and
 * when. Driven by one caller at a time ({@link #runDue}), which makes at most one request per call, so a credential
 * never has more than one request in flight and its blocking HTTP calls never hold up another credential's lane.
 *
 * <p>Budget rules, in order:
 * <ol>
 *   <li><b>Slots.</b> A request starts at least {@code 1 / requests-per-second} after the previous one <em>ended</em>
 *       (a token bucket of capacity one: no burst after a quiet spell), and a lane's first request waits one slot
 *       after the lane is built. Counting from the end, not the start, is what makes the limit hold where the API
 *       gateway counts: the server saw the previous request before its answer came back, so two requests of a
 *       credential never arrive closer than a slot whatever the network's delays, and no window of a second sees
 *       more than the rate. A restarted poller, or a connector task moved to another worker after the old one
 *       stopped, keeps that spacing too. The price is the latency: a lane reaches
 *       {@code 1 / (slot + latency)} requests a second. A step that sends no request costs no slot.</li>
 *   <li><b>Active first.</b> A target with a running or watched task (or a listing backlog) is <em>active</em>: when
 *       one is due, it gets the next slot, earliest due first. Between two requests of one active target's cycle the
 *       other due active targets take their turn (its next page is re-queued at the time of the last one).</li>
 *   <li><b>Idle share the rest, oldest due first.</b> Idle targets get a slot only when no active target is due; they
 *       keep their cycle's due time across the pages of a cycle, so under a short budget they are served round-robin
 *       and their staleness is even. A first listing (history) is an idle cycle like any other, read one page per
 *       slot: it never delays an active target by more than the one slot in flight.</li>
 *   <li><b>Throttling pushes back the credential.</b> A 429 / {@code APIG.0308} pauses the whole lane for the
 *       server's {@code Retry-After} (else exponential backoff, jittered, capped by {@code poller.backoff-max}); the
 *       throttled request is repeated first when the lane resumes. Other failures back off only their target.</li>
 *   <li><b>Phase, not stretch.</b> Each target gets a random phase ({@code poller.jitter} of its interval) for its
 *       first cycle; later cycles are due one interval after the previous due time (re-based when a cycle started
 *       late), so jitter spreads the load without lengthening any interval.</li>
 * </ol>
 */
final class CredentialLane {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialLane.class);

    /** One request in this many goes to a due idle target while active targets keep the lane busy. */
    static final int IDLE_SHARE = 4;

    private static final Comparator<Entry> BY_DUE = Comparator.comparing((Entry e) -> e.due)
            .thenComparingLong(e -> e.seq);

    private final String credential;
    private final Duration slot;
    private final double jitter;
    private final Backoff throttleBackoff;
    private final LaneMetrics metrics;
    private final PositionSink positions;
    private final PublishPause pause;
    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();
    private final TreeSet<Entry> active = new TreeSet<>(BY_DUE);
    private final TreeSet<Entry> idle = new TreeSet<>(BY_DUE);
    private final AtomicBoolean reclassify = new AtomicBoolean();
    /** Target additions and removals asked for by other threads, applied by the driving thread ({@link #runDue}). */
    private final ConcurrentLinkedQueue<Runnable> changes = new ConcurrentLinkedQueue<>();
    /** One-off requests of the credential that are no target's (discovery), each taking one slot. */
    private final ConcurrentLinkedQueue<LaneRequest> extras = new ConcurrentLinkedQueue<>();
    private Instant slotAt;
    private int throttles;
    private long seq;
    /** Active targets picked in a row while an idle one may have waited (see {@link #pick}). */
    private int activeStreak;

    CredentialLane(String credential, RateLimit rate, PollerSettings settings, DoubleSupplier random,
            LaneMetrics metrics, PositionSink positions, PublishPause pause, Clock clock) {
        this.credential = credential;
        this.slot = Duration.ofNanos(Math.max(1, Math.round(1e9 / rate.requestsPerSecond())));
        this.jitter = settings.jitter();
        this.throttleBackoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), random);
        this.metrics = metrics;
        this.positions = positions;
        this.pause = pause;
        this.clock = clock;
        this.slotAt = clock.instant().plus(slot);
    }

    String credential() {
        return credential;
    }

    Duration slot() {
        return slot;
    }

    /** Adds a target, first due at {@code start} plus its random phase ({@code phase} in [0, 1)). */
    void add(TargetPoller target, Instant start, double phase) {
        Entry e = new Entry(target, seq++);
        e.active = target.active();
        Duration interval = target.target().pollInterval(e.active);
        e.due = start.plusMillis(Math.round(interval.toMillis() * jitter * phase));
        entries.add(e);
        queue(e).add(e);
    }

    List<TargetPoller> targets() {
        return entries.stream().map(e -> e.target).toList();
    }

    /**
     * Adds ({@link #add}) or removes a target from another thread: applied by the driving thread at its next
     * {@link #runDue}, so the due-time queues are only ever touched by one thread.
     */
    void change(Runnable change) {
        changes.add(change);
    }

    /** Removes the target named {@code name}, wherever it is in its cycle; nothing is stored for it. */
    boolean remove(String name) {
        for (Entry e : entries) {
            if (e.target.target().name().equals(name)) {
                queue(e).remove(e);
                entries.remove(e);
                return true;
            }
        }
        return false;
    }

    /**
     * Queues a request that belongs to no target (a discovery call): it takes the next slot an idle target would get
     * (before the idle targets, and every {@value #IDLE_SHARE}th slot while active targets keep the lane busy), so it
     * counts against the credential's budget like any other request.
     */
    void submit(LaneRequest request) {
        extras.add(request);
    }

    /** The watch set changed: some idle target may be active now (checked at the next {@link #runDue}). */
    void watchSetChanged() {
        reclassify.set(true);
    }

    /**
     * Makes the next request if a slot is free and a target is due at {@code now} (steps that need no request, such
     * as a get-by-id target without watched ids, run without using the slot).
     *
     * @return when to call again: the next slot if a target is waiting for one, else the earliest due time
     * @throws FatalSinkException when publishing can never succeed again
     */
    Instant runDue(Instant now) {
        for (Runnable change = changes.poll(); change != null; change = changes.poll()) {
            change.run();
        }
        if (reclassify.getAndSet(false)) {
            reclassify(now);
        }
        Instant paused = pause.pausedUntil(now);
        if (paused != null) {
            return paused; // Kafka unreachable: no request until it is back (PublishPause)
        }
        for (int i = 0; i <= entries.size(); i++) {
            if (now.isBefore(slotAt)) {
                return slotAt;
            }
            if (extraTurn(now)) {
                if (runExtra(extras.poll())) {
                    break;
                }
                continue;
            }
            Entry e = pick(now);
            if (e == null) {
                break;
            }
            if (run(e, now)) {
                break; // one request per call: the caller reads the clock again
            }
        }
        return nextWakeUp(now);
    }

    private Instant nextWakeUp(Instant now) {
        Instant next = null;
        for (TreeSet<Entry> q : List.of(active, idle)) {
            if (!q.isEmpty() && (next == null || q.first().due.isBefore(next))) {
                next = q.first().due;
            }
        }
        if (next == null) {
            next = now.plus(Duration.ofHours(1)); // no targets: woken by a watch change
        }
        if (!extras.isEmpty() || !changes.isEmpty()) {
            next = now;
        }
        return next.isBefore(slotAt) ? slotAt : next;
    }

    /**
     * Active targets first, except that every {@value #IDLE_SHARE}th pick goes to the most overdue idle target when
     * one is due: when the active targets alone keep a lane busy (a slow task center makes a lane latency-bound long
     * before it is budget-bound), idle targets, including a first listing, still get a quarter of the requests
     * instead of never being polled, and an active target waits at most one request for it.
     */
    private Entry pick(Instant now) {
        boolean activeDue = !active.isEmpty() && !active.first().due.isAfter(now);
        boolean idleDue = !idle.isEmpty() && !idle.first().due.isAfter(now);
        if (activeDue && !(idleDue && activeStreak >= IDLE_SHARE - 1)) {
            activeStreak++;
            return active.pollFirst();
        }
        if (idleDue) {
            activeStreak = 0;
            return idle.pollFirst();
        }
        return null;
    }

    /** Whether the next slot goes to a queued {@link LaneRequest}: as an idle target's would. */
    private boolean extraTurn(Instant now) {
        if (extras.isEmpty()) {
            return false;
        }
        boolean activeDue = !active.isEmpty() && !active.first().due.isAfter(now);
        if (activeDue && activeStreak < IDLE_SHARE - 1) {
            return false;
        }
        activeStreak = 0;
        return true;
    }

    /** Runs one queued request; true when it sent one (it then took the slot). */
    private boolean runExtra(LaneRequest request) {
        if (request == null) {
            return false;
        }
        boolean requested;
        try {
            requested = request.run();
        } catch (RuntimeException ex) {
            LOG.error("Unexpected error in a request of credential {}", credential, ex);
            requested = true;
        }
        if (requested) {
            Instant ended = clock.instant();
            slotAt = (slotAt.isAfter(ended) ? slotAt : ended).plus(slot);
            metrics.request(request.purpose());
        }
        return requested;
    }

    /** Steps {@code e} once and re-queues it; true when a request was made. */
    private boolean run(Entry e, Instant now) {
        TargetPoller t = e.target;
        if (!t.inCycle() && !e.retrying) {
            e.cycleDue = e.due;
            e.cycleStart = now;
            if (e.active) {
                metrics.lateness(Duration.between(e.due, now));
            }
        }
        Step step;
        try {
            step = t.step();
        } catch (FatalSinkException fatal) {
            queue(e).add(e);
            throw new FatalSinkException("target " + t.target().name() + ": " + fatal.getMessage(), fatal);
        } catch (RuntimeException ex) {
            // a bug or a dialect throwing: keep this target alive, never the others' concern
            try (LogFields fields = LogFields.target(t.target())) {
                LOG.error("Unexpected error polling target {}; retrying at its interval", t.target().name(), ex);
            }
            t.recordUnexpected(ex);
            e.due = now.plus(t.target().interval());
            queue(e).add(e);
            return true;
        }
        if (step.requested()) {
            Instant ended = clock.instant();
            slotAt = (slotAt.isAfter(ended) ? slotAt : ended).plus(slot);
            Purpose purpose = e.retrying || step.purpose() == null ? Purpose.RETRY : step.purpose();
            metrics.request(purpose.budgetTag(e.active));
        }
        e.retrying = false;
        switch (step.kind()) {
            case CONTINUE -> {
                throttles = 0;
                if (e.active) {
                    e.due = now; // behind the active targets already due: pages of one target interleave
                }
            }
            case THROTTLED -> {
                throttles++;
                Duration pause = throttleBackoff.delay(throttles, step.retryAfter());
                Instant until = now.plus(pause);
                if (until.isAfter(slotAt)) {
                    slotAt = until;
                }
                e.retrying = true;
                LOG.warn("Credential {} throttled ({} in a row); all its targets pause for {} ms", credential,
                        throttles, pause.toMillis());
            }
            case DONE -> {
                throttles = step.requested() ? 0 : throttles;
                e.active = t.active();
                Duration interval = step.nextDelay();
                Instant onGrid = e.cycleDue.plus(interval);
                Instant rebased = e.cycleStart.plusMillis(Math.round(interval.toMillis() * (1 - jitter)));
                e.due = onGrid.isAfter(rebased) ? onGrid : rebased;
                e.lastCycleStart = e.cycleStart;
                storePosition(t);
            }
            case FAILED -> {
                if (step.requested()) {
                    throttles = 0;
                }
                e.active = t.active();
                e.due = pause.engaged() ? now : now.plus(step.nextDelay()); // paused: due when Kafka is back
                e.lastCycleStart = e.cycleStart;
            }
            default -> throw new IllegalStateException(String.valueOf(step.kind()));
        }
        queue(e).add(e);
        return step.requested();
    }

    private void storePosition(TargetPoller t) {
        t.positionToStore().ifPresent(position -> {
            try {
                positions.store(t.target(), position);
                t.positionStored(position);
            } catch (SinkUnavailableException ex) {
                LOG.warn("Target {}: could not store its position ({}); offered again after the next cycle",
                        t.target().name(), ex.getMessage());
            }
        });
    }

    private void reclassify(Instant now) {
        for (Entry e : entries) {
            if (e.target.inCycle() || e.retrying) {
                continue;
            }
            boolean nowActive = e.target.active();
            if (nowActive == e.active) {
                continue;
            }
            queue(e).remove(e);
            e.active = nowActive;
            if (nowActive) {
                Instant due = e.lastCycleStart == null ? now
                        : e.lastCycleStart.plus(e.target.target().activeInterval());
                if (due.isBefore(e.due)) {
                    e.due = due;
                }
            }
            queue(e).add(e);
        }
    }

    private TreeSet<Entry> queue(Entry e) {
        return e.active ? active : idle;
    }

    /** Scheduling state of one target; its {@link #due} is changed only while it is out of its queue. */
    private static final class Entry {
        final TargetPoller target;
        final long seq;
        Instant due;
        boolean active;
        Instant cycleDue;
        Instant cycleStart;
        Instant lastCycleStart;
        /** The last request was throttled: the next one repeats it. */
        boolean retrying;

        Entry(TargetPoller target, long seq) {
            this.target = target;
            this.seq = seq;
        }
    }
}
