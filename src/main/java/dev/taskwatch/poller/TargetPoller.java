package dev.taskwatch.poller;

import dev.taskwatch.model.TaskKeys;
import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.poller.ListingPlan.GetTask;
import dev.taskwatch.poller.ListingPlan.ListPage;
import dev.taskwatch.taskcenter.GetByIdDialect;
import dev.taskwatch.taskcenter.ListingDialect;
import dev.taskwatch.taskcenter.MalformedResponseException;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TaskPage;
import dev.taskwatch.taskcenter.TaskReject;
import dev.taskwatch.taskcenter.TaskRejectedException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * <p>What to ask is the plan's (pure); what an answer means is {@link TaskCenterCall}'s; this class joins them to the
 * sink, the dead-letter queue and the watch set, and keeps the target's health.
 *
 * <p>Not thread-safe: one thread steps a target at a time (its credential's lane).
 */
public final class TargetPoller {

    private static final Logger LOG = LoggerFactory.getLogger(TargetPoller.class);

    /** An unchanged position is still rewritten this often, so a restart's window stays short. */
    static final Duration POSITION_REFRESH = Duration.ofMinutes(5);
    /** "Not found" answers in a row after which a known task read by id is forgotten. */
    static final int NOT_FOUND_LIMIT = 3;

    /** What a step did. */
    public enum StepKind {
        /** One request of the cycle was made and the cycle goes on. */
        CONTINUE,
        /** The cycle completed; {@link Step#nextDelay()} is the target's interval now (fast or slow). */
        DONE,
        /** The cycle failed; {@link Step#nextDelay()} is the backoff or slow interval before the next cycle. */
        FAILED,
        /**
         * The API gateway throttled the request: nothing advanced, the cycle resumes with the same request after
         * the credential's pushback; {@link Step#retryAfter()} is the server's Retry-After, or null.
         */
        THROTTLED
    }

    /**
     * The result of one step.
     *
     * @param requested whether a request was sent (a step without one costs no budget)
     * @param purpose   why the request was sent, or null without one
     */
    public record Step(StepKind kind, boolean requested, Purpose purpose, Duration nextDelay, Duration retryAfter) {}

    private final PolledTarget polled;
    private final Target target;
    /** The dialect's capabilities; null where the service lacks one. */
    private final ListingDialect listing;
    private final GetByIdDialect getById;
    private final PollerSettings settings;
    private final SnapshotSink sink;
    private final WatchSet watchSet;
    private final WatchReleaser releaser;
    private final Clock clock;
    private final Backoff backoff;
    private final PollerMetrics metrics;
    private final RejectedTasks rejected;
    private final TaskCenterCall call;
    private final TargetMemory memory = new TargetMemory();

    private ListingPlan plan;
    private Cycle cycle;
    private int consecutiveFailures;
    private volatile TargetHealth health;
    private volatile Instant lastPublish;
    private TargetPosition lastStored;

    TargetPoller(PolledTarget polled, PollerSettings settings, TaskCenterClient http, ResponsePolicy policy,
            SnapshotSink sink, WatchSet watchSet, WatchReleaser releaser,
            io.micrometer.core.instrument.MeterRegistry registry, Clock clock, DoubleSupplier random) {
        this.polled = polled;
        this.target = polled.target();
        this.listing = polled.dialect().listing().orElse(null);
        this.getById = polled.dialect().getById().orElse(null);
        this.settings = settings;
        this.sink = sink;
        this.watchSet = watchSet;
        this.releaser = releaser;
        this.clock = clock;
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), random);
        this.metrics = new PollerMetrics(registry, target.name(), this::inflight, this::staleness,
                this::lastSuccessEpoch, this::lastPublishEpoch);
        this.rejected = new RejectedTasks(target.name(), sink, registry);
        this.call = new TaskCenterCall(target, http, policy, polled.authenticator(), getById, metrics);
        this.health = new TargetHealth(target.name(), false, null, null, null, null);
    }

    public Target target() {
        return target;
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
        lastStored = position;
        return true;
    }

    /**
     * The position to store now, if it changed since it was last stored (or is older than a few minutes): call after
     * a {@link StepKind#DONE} step, whose snapshots are acknowledged, then {@link #positionStored}.
     */
    public Optional<TargetPosition> positionToStore() {
        Instant listedAt = memory.listedThrough();
        if (listedAt == null || memory.continuation() != null || listing == null) {
            return Optional.empty();
        }
        Map<String, Instant> running = memory.runningCreatedAt();
        if (lastStored != null && lastStored.running().equals(running)
                && Duration.between(lastStored.listedAt(), listedAt).compareTo(POSITION_REFRESH) < 0) {
            return Optional.empty();
        }
        return Optional.of(TargetPosition.of(target, listedAt, running));
    }

    /** Records that {@code position} was stored. */
    public void positionStored(TargetPosition position) {
        lastStored = position;
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
        Optional<ListingPlan.Request> next = plan.next();
        if (next.isEmpty()) {
            return complete(false, null);
        }
        ListingPlan.Request request = next.get();
        Purpose purpose = call.repeating() ? Purpose.RETRY : request.purpose();
        try {
            cycle.requests++;
            boolean answered = request instanceof ListPage page ? listPage(page) : getTask((GetTask) request);
            if (answered && plan.next().isEmpty()) {
                return complete(true, purpose);
            }
            return new Step(StepKind.CONTINUE, true, purpose, null, null);
        } catch (CycleFailure f) {
            return failed(f, purpose);
        }
    }

    private void startCycle() {
        Instant now = clock.instant();
        for (String id : memory.forgetCreatedBefore(now.minus(ListingPlan.API_HISTORY)
                .plus(ListingPlan.HISTORY_MARGIN))) {
            LOG.warn("Target {}: task {} is still not terminal but leaves the API's 30-day history; no longer "
                    + "followed", target.name(), id);
        }
        List<WatchRequest> watches = getById != null ? watchSet.entriesFor(target) : List.of();
        ListingPlan.Api api = listing == null ? ListingPlan.Api.getByIdOnly()
                : new ListingPlan.Api(true, getById != null, listing.maxWindowSpan(), polled.effectivePageSize(),
                        OffsetReading.ITEMS);
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
            return new Step(StepKind.THROTTLED, true, purpose, null, f.retryAfter());
        }
        Cycle c = cycle;
        endCycle();
        consecutiveFailures++;
        Duration next = f.backsOff() ? backoff.delay(consecutiveFailures, f.retryAfter()) : target.interval();
        health = new TargetHealth(target.name(), health.cycleCompleted(), health.lastSuccess(), f.getMessage(),
                clock.instant(), f.outcome());
        LOG.warn("Poll of {} failed ({}, {} in a row): {}; {} snapshots published before; next poll in {} ms",
                target.name(), f.tag(), consecutiveFailures, f.getMessage(), c.published, next.toMillis());
        metrics.cycle(Duration.between(c.start, clock.instant()));
        return new Step(StepKind.FAILED, true, purpose, next, null);
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
        return new Step(StepKind.DONE, requested, purpose, next, null);
    }

    /** Records a cycle that ended with an unexpected exception (a bug or a dialect throwing) in the health view. */
    void recordUnexpected(RuntimeException e) {
        endCycle();
        consecutiveFailures++;
        health = new TargetHealth(target.name(), health.cycleCompleted(), health.lastSuccess(),
                "Unexpected error polling target " + target.name() + ": " + e, clock.instant(), null);
    }

    /** Reads one page of a listing; false after a first 401 (the next step repeats it). */
    private boolean listPage(ListPage page) throws CycleFailure {
        ApiResponse response = call.execute(target, listing.listRequest(target, page.query()), false);
        if (response == null) {
            return false;
        }
        TaskPage parsed;
        try {
            parsed = listing.parseList(target, response.body(), page.query().limit(), response.receivedAt(),
                    response.source());
        } catch (MalformedResponseException e) {
            throw call.malformed(response, e);
        }
        call.parsed(response);
        publishChanged(parsed.tasks().stream().filter(plan::wanted).toList());
        deadLetter(parsed.rejects(), response.source());
        plan.listed(parsed);
        return true;
    }

    /** Reads one task by id; false after a first 401 (the next step repeats it). */
    private boolean getTask(GetTask get) throws CycleFailure {
        try (LogFields task = LogFields.task(get.taskId())) {
            WatchRequest watch = get.watch();
            Target scoped = watch == null || watch.getEndpoint() == null ? target
                    : withEndpoint(URI.create(watch.getEndpoint()));
            ApiResponse response = call.execute(scoped, getById.getRequest(scoped, get.taskId()), true);
            if (response == null) {
                return false;
            }
            Optional<TaskSnapshot> snapshot = Optional.empty();
            if (response.status() >= 200 && response.status() < 300) { // else the policy said "not found"
                try {
                    snapshot = getById.parseGet(scoped, get.taskId(), response.body(), response.receivedAt(),
                            response.source());
                } catch (TaskRejectedException e) {
                    call.parsed(response);
                    deadLetter(List.of(e.reject()), response.source()); // it stays known: it may become readable
                    plan.got();
                    return true;
                } catch (MalformedResponseException e) {
                    throw call.malformed(response, e);
                }
            }
            call.parsed(response);
            if (snapshot.isEmpty()) {
                notFound(get);
            } else {
                publishChanged(List.of(snapshot.get()));
            }
            plan.got();
            return true;
        }
    }

    private void notFound(GetTask get) throws CycleFailure {
        String id = get.taskId();
        WatchRequest watch = get.watch();
        if (watch == null) {
            if (memory.notFound(id, NOT_FOUND_LIMIT)) {
                LOG.warn("Target {}: task {} known as {} answered \"not found\" {} times in a row; no longer "
                        + "followed", target.name(), id, "not terminal", NOT_FOUND_LIMIT);
            }
            return;
        }
        Instant giveUp = watch.getRequestedAt().plus(settings.watchNotFoundGrace());
        if (clock.instant().isBefore(giveUp)) {
            LOG.debug("Target {}: watched task {} not found yet; retrying until {}", target.name(), id, giveUp);
        } else {
            LOG.warn("Target {}: watched task {} still not found {} after it was requested at {}; dropping "
                    + "the watch", target.name(), id, settings.watchNotFoundGrace(), watch.getRequestedAt());
            metrics.watchNotFound();
            release(TaskKeys.of(watch), "not found");
        }
    }

    private Target withEndpoint(URI endpoint) {
        return new Target(target.name(), target.service(), target.region(), target.projectId(), endpoint,
                target.credentials(), target.interval(), target.activeInterval(), target.lookback());
    }

    /**
     * Publishes the snapshots that say something new ({@link TargetMemory#changed}), then records all of them; a
     * terminal one of a watched task releases the watch.
     */
    private void publishChanged(List<TaskSnapshot> read) throws CycleFailure {
        if (read.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<TaskSnapshot> changed = new ArrayList<>();
        for (TaskSnapshot s : read) {
            if (memory.changed(s, now, settings.runningRefresh())) {
                changed.add(s);
            }
        }
        if (!changed.isEmpty()) {
            try {
                sink.publish(target, changed);
            } catch (SinkUnavailableException e) {
                throw new CycleFailure(null, "publish", true, null, "Could not publish snapshots of target "
                        + target.name() + ": " + e.getMessage(), e);
            }
            lastPublish = now;
            metrics.published(changed.size());
            cycle.published += changed.size();
        }
        memory.record(read, changed, now);
        if (getById != null) {
            for (TaskSnapshot s : read) {
                TaskKey key = TaskKeys.of(s);
                if (TaskStatuses.isTerminal(s.getStatus()) && watchSet.contains(key)) {
                    release(key, "terminal");
                }
            }
        }
    }

    private void release(TaskKey key, String why) throws CycleFailure {
        try {
            releaser.release(key);
        } catch (SinkUnavailableException e) {
            throw new CycleFailure(null, "publish", true, null, "Could not release watched task " + key.getTaskId()
                    + " of target " + target.name() + ": " + e.getMessage(), e);
        }
        watchSet.remove(key);
        LOG.info("Target {}: released watched task {} ({})", target.name(), key.getTaskId(), why);
    }

    private void deadLetter(List<TaskReject> rejects, String source) throws CycleFailure {
        if (rejects.isEmpty()) {
            return;
        }
        try {
            rejected.handle(rejects, source);
        } catch (SinkUnavailableException e) {
            throw new CycleFailure(null, "publish", true, null, "Could not dead-letter unreadable tasks of target "
                    + target.name() + ": " + e.getMessage(), e);
        }
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
        Instant last = lastPublish;
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
