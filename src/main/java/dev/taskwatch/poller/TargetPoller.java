package dev.taskwatch.poller;

import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.taskcenter.GetByIdDialect;
import dev.taskwatch.taskcenter.ListingDialect;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one target, one request at a time: {@link #step()} sends the next request of the current cycle's
 * {@link ListingPlan} (starting a cycle when none is under way), publishes what changed and records it in the
 * target's {@link TargetMemory}. The {@link Poller}'s scheduler spends the request budget at request granularity:
 * between two requests of one cycle, another target's request can go out. A step never sleeps and never paces itself;
 * the caller owns the clock and the budget.
 *
 * <p>What to ask is the plan's (pure); what an answer means is {@link TaskCenterCall}'s; {@link RequestReader} sends
 * one request and carries its answer to the sink, the dead-letter queue, the watch set and the plan; this class runs
 * the cycles and keeps the target's health.
 *
 * <p>Not thread-safe: one thread steps a target at a time (its credential's lane).
 */
public final class TargetPoller {

    private static final Logger LOG = LoggerFactory.getLogger(TargetPoller.class);

    /** An unchanged position is still rewritten this often, so a restart's window stays short. */
    static final Duration POSITION_REFRESH = Duration.ofMinutes(5);

    private final PolledTarget polled;
    private boolean restored;
    private final Target target;
    /** The dialect's capabilities; null where the service lacks one. */
    private final ListingDialect listing;
    private final GetByIdDialect getById;
    private final PollerSettings settings;
    private final WatchSet watchSet;
    private final Clock clock;
    private final Backoff backoff;
    private final PollerMetrics metrics;
    private final TaskCenterCall call;
    private final SnapshotPublisher publisher;
    private final RequestReader reader;
    private final TargetMemory memory = new TargetMemory();

    private ListingPlan plan;
    private Cycle cycle;
    private int consecutiveFailures;
    private volatile TargetHealth health;
    private final SnapshotSink sink;

    TargetPoller(PolledTarget polled, PollerSettings settings, TaskCenterClient http, ResponsePolicy policy,
            SnapshotSink sink, WatchSet watchSet, WatchReleaser releaser,
            io.micrometer.core.instrument.MeterRegistry registry, Clock clock, DoubleSupplier random) {
        this.polled = polled;
        this.target = polled.target();
        this.listing = polled.dialect().listing().orElse(null);
        this.getById = polled.dialect().getById().orElse(null);
        this.settings = settings;
        this.watchSet = watchSet;
        this.clock = clock;
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), random);
        this.metrics = new PollerMetrics(registry, target.name(), this::inflight, this::staleness,
                this::lastSuccessEpoch, this::lastPublishEpoch);
        this.sink = sink;
        this.publisher = new SnapshotPublisher(target, memory, sink, new RejectedTasks(target.name(), sink, registry),
                watchSet, releaser, metrics, settings.runningRefresh(), getById != null);
        this.call = new TaskCenterCall(target, http, policy, polled.authenticator(), getById, metrics);
        this.reader = new RequestReader(target, polled.dialect(), call, publisher, memory, metrics,
                settings.watchNotFoundGrace(), clock);
        this.health = new TargetHealth(target.name(), false, null, null, null, null);
    }

    public Target target() {
        return target;
    }

    PolledTarget polled() {
        return polled;
    }

    /** Whether a stored position was applied ({@link #restore}). */
    boolean restored() {
        return restored;
    }

    public TargetHealth health() {
        return health;
    }

    /** Non-terminal tasks known from listing plus watched ids. */
    int inflight() {
        return memory.running().size() + (getById != null ? watchSet.entriesFor(target).size() : 0);
    }

    /** Whether the target has a running or watched task (or a listing backlog): it is polled at its active interval. */
    public boolean active() {
        return inflight() > 0 || memory.continuation() != null;
    }

    /** Whether the next listing is a first read of the history (nothing known, no position). */
    public boolean readingHistory() {
        return listing != null && memory.listedThrough() == null;
    }

    /** Whether a cycle is under way (started and neither completed nor failed). */
    public boolean inCycle() {
        return plan != null;
    }

    /** Task ids last seen non-terminal, to created_at. */
    Map<String, Instant> known() {
        return memory.runningCreatedAt();
    }

    TargetMemory memory() {
        return memory;
    }

    /**
     * Resumes from a stored position, before the first step. A position written for another service, region,
     * project or endpoint is ignored (logged): the target reads its history as if never seen.
     *
     * @return whether the position was applied
     */
    public boolean restore(TargetPosition position) {
        if (plan != null || memory.listedThrough() != null) {
            throw new IllegalStateException("Target " + target.name() + ": a position is restored before polling");
        }
        if (listing == null) {
            return false;
        }
        if (!position.appliesTo(target)) {
            LOG.warn("Target {}: the stored position was written for {}/{}/{} at {}; the target now points at "
                    + "{}/{}/{} at {}: ignoring it and reading the history", target.name(), position.service(),
                    position.region(), position.projectId(), position.endpoint(), target.service().id(),
                    target.region(), target.projectId(), target.endpoint());
            return false;
        }
        memory.restore(position, clock.instant());
        restored = true;
        return true;
    }

    /**
     * The position to store now, if it changed since it was last stored (or is older than a few minutes): call after
     * a {@link Step.Kind#DONE} step, whose snapshots are acknowledged, then {@link #positionStored}.
     */
    public Optional<TargetPosition> positionToStore() {
        return listing == null ? Optional.empty() : memory.positionToStore(target, POSITION_REFRESH);
    }

    /** Records that {@code position} was stored. */
    public void positionStored(TargetPosition position) {
        memory.positionStored(position);
    }

    /**
     * Runs one whole cycle without pacing (tests, benchmarks): steps until the cycle ends and returns the delay before
     * the next one. A throttled request ends the cycle here with the backoff (Retry-After when sent).
     *
     * @throws FatalSinkException when publishing can never succeed again
     */
    public Duration runCycle() {
        while (true) {
            Step step = step();
            switch (step.kind()) {
                case CONTINUE -> { }
                case DONE, FAILED -> {
                    return step.nextDelay();
                }
                case THROTTLED -> {
                    endCycle();
                    consecutiveFailures++;
                    return backoff.delay(consecutiveFailures, step.retryAfter());
                }
                default -> throw new IllegalStateException(String.valueOf(step.kind()));
            }
        }
    }

    /**
     * Sends the next request of the current cycle, starting a cycle when none is under way.
     *
     * @throws FatalSinkException when publishing can never succeed again
     */
    public Step step() {
        // Every line logged for this target carries its name and credential name as log fields (JSON logs).
        try (LogFields fields = LogFields.target(target)) {
            return stepLogged();
        }
    }

    private Step stepLogged() {
        if (plan == null) {
            startCycle();
        }
        Optional<PlanRequest> next = plan.next();
        if (next.isEmpty()) {
            return complete(false, null);
        }
        PlanRequest request = next.get();
        Purpose purpose = call.repeating() ? Purpose.RETRY : request.purpose();
        try {
            cycle.requests++;
            boolean answered = reader.read(request, plan, published -> cycle.published += published);
            if (answered && plan.next().isEmpty()) {
                return complete(true, purpose);
            }
            return new Step(Step.Kind.CONTINUE, true, purpose, null, null);
        } catch (CycleFailure f) {
            return failed(f, purpose);
        }
    }

    private void startCycle() {
        Instant now = clock.instant();
        for (String id : memory.forgetCreatedBefore(now.minus(ListingApi.API_HISTORY)
                .plus(ListingApi.HISTORY_MARGIN))) {
            LOG.warn("Target {}: task {} is still not terminal but leaves the API's 30-day history; no longer "
                    + "followed", target.name(), id);
        }
        memory.rotate(now, target.lookback());
        List<WatchRequest> watches = getById != null ? watchSet.entriesFor(target) : List.of();
        ListingApi api = listing == null ? ListingApi.getByIdOnly()
                : new ListingApi(true, getById != null, listing.maxWindowSpan(), polled.effectivePageSize(),
                        OffsetReading.ITEMS, listing.offsetReadingUncertain());
        ListingPlan.Rules rules = new ListingPlan.Rules(target.lookback(), settings.visibilityMargin(),
                settings.sweepInterval(), settings.maxPagesPerCycle());
        plan = new ListingPlan(now, memory, api, rules, watches, active());
        cycle = new Cycle(now);
    }

    private void endCycle() {
        plan = null;
        cycle = null;
        call.reset();
    }

    private Step failed(CycleFailure f, Purpose purpose) {
        if (f.outcome() == ResponseOutcome.THROTTLED) {
            health = new TargetHealth(target.name(), health.cycleCompleted(), health.lastSuccess(),
                    f.getMessage(), clock.instant(), f.outcome());
            LOG.warn("Poll of {} throttled: {}; its credential {} pauses", target.name(), f.getMessage(),
                    target.credentials());
            return new Step(Step.Kind.THROTTLED, true, purpose, null, f.retryAfter());
        }
        Cycle c = cycle;
        endCycle();
        consecutiveFailures++;
        Duration next = f.backsOff() ? backoff.delay(consecutiveFailures, f.retryAfter()) : target.interval();
        health = new TargetHealth(target.name(), health.cycleCompleted(), health.lastSuccess(), f.getMessage(),
                clock.instant(), f.outcome());
        // while Kafka is unreachable every lane pauses and this target is due again at Kafka's return (PublishPause)
        String nextPoll = sink.kafkaUnreachable() ? "when Kafka is back" : "in " + next.toMillis() + " ms";
        LOG.warn("Poll of {} failed ({}, {} in a row): {}; {} snapshots published before; next poll {}",
                target.name(), f.tag(), consecutiveFailures, f.getMessage(), c.published, nextPoll);
        metrics.cycle(Duration.between(c.start, clock.instant()));
        return new Step(Step.Kind.FAILED, true, purpose, next, null);
    }

    private Step complete(boolean requested, Purpose purpose) {
        Cycle c = cycle;
        int pages = plan.pages();
        endCycle();
        consecutiveFailures = 0;
        Instant end = clock.instant();
        health = new TargetHealth(target.name(), true, end, null, null, null);
        Duration next = target.pollInterval(active());
        metrics.cycle(Duration.between(c.start, end));
        // INFO for a cycle that saw work (published something, or tasks still run); a quiet cycle is DEBUG, so that
        // thousands of idle targets do not flood the log while a handful of busy ones stay visible.
        boolean eventful = c.published > 0 || inflight() > 0;
        String line = "Polled {}: {} requests, {} pages, {} snapshots published, {} running, next poll in {} ms";
        Object[] args = {target.name(), c.requests, pages, c.published, inflight(), next.toMillis()};
        if (eventful) {
            LOG.info(line, args);
        } else {
            LOG.debug(line, args);
        }
        return new Step(Step.Kind.DONE, requested, purpose, next, null);
    }

    /** Records a cycle that ended with an unexpected exception (a bug or a dialect throwing) in the health view. */
    void recordUnexpected(RuntimeException e) {
        endCycle();
        consecutiveFailures++;
        health = new TargetHealth(target.name(), health.cycleCompleted(), health.lastSuccess(),
                "Unexpected error polling target " + target.name() + ": " + e, clock.instant(), null);
    }

    private double staleness() {
        Instant last = health.lastSuccess();
        return last == null ? Double.NaN : Duration.between(last, clock.instant()).toMillis() / 1000.0;
    }

    private double lastSuccessEpoch() {
        Instant last = health.lastSuccess();
        return last == null ? Double.NaN : last.toEpochMilli() / 1000.0;
    }

    private double lastPublishEpoch() {
        Instant last = publisher.lastPublish();
        return last == null ? Double.NaN : last.toEpochMilli() / 1000.0;
    }

    /** What one cycle did, for its log line and metrics. */
    private static final class Cycle {
        final Instant start;
        int requests;
        int published;

        Cycle(Instant start) {
            this.start = start;
        }
    }
}
