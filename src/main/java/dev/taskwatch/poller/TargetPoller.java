package dev.taskwatch.poller;

import dev.taskwatch.model.TaskKeys;
import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.http.RequestOutcomes;
import dev.taskwatch.taskcenter.MalformedResponseException;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.GetByIdDialect;
import dev.taskwatch.taskcenter.ListingDialect;
import dev.taskwatch.taskcenter.TaskReject;
import dev.taskwatch.taskcenter.TaskRejectedException;
import dev.taskwatch.taskcenter.TaskPage;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TimeWindow;
import dev.taskwatch.taskcenter.auth.AuthenticationException;
import dev.taskwatch.taskcenter.auth.Authenticator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one target, one request at a time. A <em>cycle</em> lists every page of the window, then gets every watched
 * id, publishing each page as it arrives; {@link #step()} sends exactly one request of the current cycle (starting a
 * cycle when none is under way), so the {@link Poller}'s scheduler spends its request budget at request granularity:
 * between two pages of a long listing, another target's request can go out. A step never sleeps and never paces
 * itself; the caller owns the clock and the budget.
 *
 * <p>State: {@link #known} holds the tasks of this target last seen non-terminal (task id to created_at), updated only
 * after the page that showed them was acknowledged by the sink. It decides how far back the window reaches and whether
 * the fast interval applies. Until the first complete listing of this process the window reaches back over the API's
 * whole history (30 days), unless a stored {@link TargetPosition} was {@linkplain #restore restored}: then the window
 * reaches back to {@code listed_at - lookback} and to the oldest task the position knows as running, so a task that
 * ended while taskwatch was down still gets its terminal snapshot, whatever the length of the downtime.
 *
 * <p>Not thread-safe: one thread steps a target at a time (its credential's lane).
 */
public final class TargetPoller {

    private static final Logger LOG = LoggerFactory.getLogger(TargetPoller.class);

    /** The APIs show about one month of history. */
    static final Duration API_HISTORY = Service.API_VISIBILITY;
    /** Keeps the window start clearly inside the visible history, whatever the API's clock says. */
    static final Duration HISTORY_MARGIN = Duration.ofMinutes(10);
    /** Window end beyond now: tasks created while the request travels, and clock skew. */
    static final Duration WINDOW_END_MARGIN = Duration.ofMinutes(1);
    /** An unchanged position is still rewritten this often, so a restart's window stays short. */
    static final Duration POSITION_REFRESH = Duration.ofMinutes(5);

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
     * @param purpose   {@code history} (first listing), {@code watch} (get-by-id), {@code retry} (after a 401) or null
     *                  (the scheduler decides: active or idle)
     */
    public record Step(StepKind kind, boolean requested, String purpose, Duration nextDelay, Duration retryAfter) {}

    private final PolledTarget polled;
    private final Target target;
    /** The dialect's capabilities; null where the service lacks one. */
    private final ListingDialect listing;
    private final GetByIdDialect getById;
    private final Authenticator authenticator;
    private final PollerSettings settings;
    private final TaskCenterClient http;
    private final ResponsePolicy policy;
    private final SnapshotSink sink;
    private final WatchSet watchSet;
    private final WatchReleaser releaser;
    private final Clock clock;
    private final Backoff backoff;
    private final PollerMetrics metrics;
    private final RejectedTasks rejected;

    private final Map<String, Instant> known = new ConcurrentHashMap<>();
    /** Whether a complete listing has happened since this process started or a position was restored. */
    private volatile boolean historyRead;
    /** Start of the last complete listing before a restart (from the stored position); null once listed again. */
    private Instant resumedListedAt;
    /** Where the next cycle resumes after the page guard stopped one; null when the last listing was complete. */
    private Continuation continuation;
    private int consecutiveFailures;
    private volatile TargetHealth health;
    private volatile Instant lastPublish;
    private Cycle cycle;
    /** Start of the last complete listing of this process, or null. */
    private Instant listedAt;
    private TargetPosition lastStored;

    TargetPoller(PolledTarget polled, PollerSettings settings, TaskCenterClient http, ResponsePolicy policy,
            SnapshotSink sink, WatchSet watchSet, WatchReleaser releaser,
            io.micrometer.core.instrument.MeterRegistry registry, Clock clock, DoubleSupplier random) {
        this.polled = polled;
        this.target = polled.target();
        this.listing = polled.dialect().listing().orElse(null);
        this.getById = polled.dialect().getById().orElse(null);
        this.authenticator = polled.authenticator();
        this.settings = settings;
        this.http = http;
        this.policy = policy;
        this.sink = sink;
        this.watchSet = watchSet;
        this.releaser = releaser;
        this.clock = clock;
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), random);
        this.metrics = new PollerMetrics(registry, target.name(), this::inflight, this::staleness,
                this::lastSuccessEpoch, this::lastPublishEpoch);
        this.rejected = new RejectedTasks(target.name(), sink, registry);
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
        return known.size() + (getById != null ? watchSet.entriesFor(target).size() : 0);
    }

    /** Whether the target has a running or watched task (or a listing backlog): it is polled at its active interval. */
    public boolean active() {
        return inflight() > 0 || continuation != null;
    }

    /** Whether the next listing is a first read of the history (nothing known, no position). */
    public boolean readingHistory() {
        return listing != null && !historyRead;
    }

    /** Whether a cycle is under way (started and neither completed nor failed). */
    public boolean inCycle() {
        return cycle != null;
    }

    /** Task ids last seen non-terminal, to created_at. */
    Map<String, Instant> known() {
        return Collections.unmodifiableMap(known);
    }

    /**
     * Resumes from a stored position, before the first step. A position written for another service, region,
     * project or endpoint is ignored (logged): the target reads its history as if never seen.
     *
     * @return whether the position was applied
     */
    public boolean restore(TargetPosition position) {
        if (cycle != null || historyRead) {
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
        known.putAll(position.running());
        resumedListedAt = position.listedAt();
        historyRead = true;
        lastStored = position;
        return true;
    }

    /**
     * The position to store now, if it changed since it was last stored (or is older than a few minutes): call after
     * a {@link StepKind#DONE} step, whose snapshots are acknowledged, then {@link #positionStored}.
     */
    public Optional<TargetPosition> positionToStore() {
        if (listedAt == null || continuation != null || listing == null) {
            return Optional.empty();
        }
        // compared before copying: most cycles change nothing, and the copy holds every running task
        if (lastStored != null && lastStored.running().equals(known)
                && Duration.between(lastStored.listedAt(), listedAt).compareTo(POSITION_REFRESH) < 0) {
            return Optional.empty();
        }
        return Optional.of(TargetPosition.of(target, listedAt, known));
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
                    cycle = null;
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
        if (cycle == null) {
            cycle = new Cycle(clock.instant());
            if (listing != null) {
                forgetBeyondHistory(cycle.start);
                cycle.resume = continuation;
                cycle.window = cycle.resume == null ? window(cycle.start) : bounded(cycle.resume.from(), cycle.start);
                cycle.offset = cycle.resume == null ? 0 : cycle.resume.offset();
                cycle.history = !historyRead;
            } else {
                cycle.listingDone = true;
            }
            cycle.watches = getById != null ? watchSet.entriesFor(target) : List.of();
        }
        Cycle c = cycle;
        c.requested = false;
        try {
            if (!c.listingDone) {
                String purpose = c.attempt > 1 ? "retry" : c.history ? "history" : null;
                if (!listPage(c)) {
                    return new Step(StepKind.CONTINUE, true, purpose, null, null);
                }
                if (c.watchIndex >= c.watches.size()) {
                    return complete(c, true, purpose);
                }
                return new Step(StepKind.CONTINUE, true, purpose, null, null);
            }
            while (c.watchIndex < c.watches.size()) {
                String purpose = c.attempt > 1 ? "retry" : "watch";
                if (getWatched(c, c.watches.get(c.watchIndex))) {
                    c.watchIndex++;
                    c.attempt = 1;
                    return c.watchIndex >= c.watches.size() ? complete(c, true, purpose)
                            : new Step(StepKind.CONTINUE, true, purpose, null, null);
                }
                if (c.requested) {
                    c.requested = false;
                    return new Step(StepKind.CONTINUE, true, purpose, null, null); // the retry after a 401
                }
                c.watchIndex++; // answered by this cycle's listing: no request
            }
            return complete(c, false, null);
        } catch (CycleFailure f) {
            boolean requested = c.requested;
            if (f.outcome() == ResponseOutcome.THROTTLED) {
                c.requested = false;
                health = new TargetHealth(target.name(), health.cycleCompleted(), health.lastSuccess(),
                        f.getMessage(), clock.instant(), f.outcome());
                LOG.warn("Poll of {} throttled: {}; its credential {} pauses", target.name(), f.getMessage(),
                        target.credentials());
                return new Step(StepKind.THROTTLED, requested, null, null, f.retryAfter());
            }
            cycle = null;
            consecutiveFailures++;
            Duration next = f.backsOff() ? backoff.delay(consecutiveFailures, f.retryAfter()) : target.interval();
            health = new TargetHealth(target.name(), health.cycleCompleted(), health.lastSuccess(), f.getMessage(),
                    clock.instant(), f.outcome());
            LOG.warn("Poll of {} failed ({}, {} in a row): {}; {} snapshots published before; next poll in {} ms",
                    target.name(), f.tag(), consecutiveFailures, f.getMessage(), c.published, next.toMillis());
            metrics.cycle(Duration.between(c.start, clock.instant()));
            return new Step(StepKind.FAILED, requested, null, next, null);
        }
    }

    private Step complete(Cycle c, boolean requested, String purpose) {
        cycle = null;
        consecutiveFailures = 0;
        Instant end = clock.instant();
        health = new TargetHealth(target.name(), true, end, null, null, null);
        Duration next = active() ? target.activeInterval() : target.interval();
        metrics.cycle(Duration.between(c.start, end));
        // INFO for a cycle that saw work (published something, or tasks still run); a quiet cycle is DEBUG, so that
        // thousands of idle targets do not flood the log while a handful of busy ones stay visible.
        boolean eventful = c.published > 0 || inflight() > 0;
        String line = "Polled {}: {} requests, {} pages, {} snapshots published, {} running, next poll in {} ms";
        Object[] args = {target.name(), c.requests, c.pages, c.published, inflight(), next.toMillis()};
        if (eventful) {
            LOG.info(line, args);
        } else {
            LOG.debug(line, args);
        }
        return new Step(StepKind.DONE, requested, purpose, next, null);
    }

    /** Records a cycle that ended with an unexpected exception (a bug or a dialect throwing) in the health view. */
    void recordUnexpected(RuntimeException e) {
        cycle = null;
        consecutiveFailures++;
        health = new TargetHealth(target.name(), health.cycleCompleted(), health.lastSuccess(),
                "Unexpected error polling target " + target.name() + ": " + e, clock.instant(), null);
    }

    /**
     * The creation-time window of a cycle starting at {@code now}: from the earliest of {@code now - lookback} (the
     * whole history until the first complete listing), {@code listed_at - lookback} of a restored position (tasks
     * created while taskwatch was down) and the creation of the oldest task known to be still running, to {@code now}
     * plus a margin; never further back than the API's 30 days (minus a margin) nor than the dialect's largest span.
     */
    TimeWindow window(Instant now) {
        Instant from = now.minus(historyRead ? target.lookback() : API_HISTORY);
        if (resumedListedAt != null && resumedListedAt.minus(target.lookback()).isBefore(from)) {
            from = resumedListedAt.minus(target.lookback());
        }
        for (Instant createdAt : known.values()) {
            if (createdAt.isBefore(from)) {
                from = createdAt;
            }
        }
        return bounded(from, now);
    }

    private TimeWindow bounded(Instant from, Instant now) {
        Instant to = now.plus(WINDOW_END_MARGIN);
        Instant historyFloor = now.minus(API_HISTORY).plus(HISTORY_MARGIN);
        Instant spanFloor = to.minus(listing.maxWindowSpan());
        Instant floor = historyFloor.isAfter(spanFloor) ? historyFloor : spanFloor;
        if (from.isBefore(floor)) {
            from = floor;
        }
        return new TimeWindow(from, to);
    }

    /** Reads one page of the cycle's listing; true when the listing is over (complete or stopped by the guard). */
    private boolean listPage(Cycle c) throws CycleFailure {
        ApiRequest request = listing.listRequest(target, c.window, c.offset, polled.effectivePageSize());
        ApiResponse response = call(c, target, request, false);
        if (response == null) {
            return false; // 401: the next step retries with fresh authentication
        }
        int limit = polled.effectivePageSize();
        TaskPage parsed;
        try {
            parsed = listing.parseList(target, response.body(), limit, response.receivedAt(), response.source());
        } catch (MalformedResponseException e) {
            throw malformed(response, e);
        }
        metrics.request(RequestOutcomes.of(response.status(), null));
        c.pages++;
        publish(c, parsed.tasks());
        deadLetter(parsed.rejects(), response.source());
        for (TaskReject r : parsed.rejects()) {
            c.unreadable.add(r.taskId()); // still there, just unreadable: a known id stays known
        }
        for (TaskSnapshot s : parsed.tasks()) {
            c.seen.add(s.getTaskId());
            if (TaskStatuses.isTerminal(s.getStatus())) {
                c.terminal.put(s.getTaskId(), s);
            }
            remember(s);
        }
        c.offset += parsed.elements(); // rejects hold their place in the paging
        if (parsed.elements() < limit || (parsed.totalCount() != null && c.offset >= parsed.totalCount())) {
            listingComplete(c);
            return true;
        }
        if (c.pages >= settings.maxPagesPerCycle()) {
            // New tasks can only shift entries towards later offsets, so resuming in a window with the same start
            // reads at worst a few twice, none skipped.
            continuation = new Continuation(c.window.from(), c.offset);
            LOG.warn("Target {}: stopped after poller.max-pages-per-cycle={} pages in window {}..{}; the next cycle "
                    + "continues at offset {}", target.name(), settings.maxPagesPerCycle(), c.window.from(),
                    c.window.to(), c.offset);
            c.listingDone = true;
            return true;
        }
        return false;
    }

    private void listingComplete(Cycle c) {
        c.listingDone = true;
        continuation = null;
        historyRead = true;
        if (c.resume != null) {
            return; // a resumed read did not see the first pages: it cannot tell which known tasks are gone
        }
        // A task known as running that a complete read of a window covering it no longer shows is gone; an element
        // without a readable id could be any known task, so then none is known to be gone.
        if (!c.unreadable.contains(null)) {
            known.entrySet().removeIf(e -> !c.seen.contains(e.getKey()) && !c.unreadable.contains(e.getKey())
                    && !e.getValue().isBefore(c.window.from()));
        }
        resumedListedAt = null;
        listedAt = c.start;
    }

    private void forgetBeyondHistory(Instant now) {
        Instant floor = now.minus(API_HISTORY).plus(HISTORY_MARGIN);
        known.entrySet().removeIf(e -> {
            if (e.getValue().isBefore(floor)) {
                LOG.warn("Target {}: task {} created at {} is still not terminal but leaves the API's 30-day "
                        + "history; no longer followed", target.name(), e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
    }

    private void remember(TaskSnapshot s) {
        if (TaskStatuses.isTerminal(s.getStatus())) {
            known.remove(s.getTaskId());
        } else {
            known.put(s.getTaskId(), s.getCreatedAt() != null ? s.getCreatedAt() : s.getObservedAt());
        }
    }

    /**
     * Handles one watched id: true when a request answered it, false when this cycle's listing already did (no
     * request) or when a 401 asks for a retry ({@code c.requested} set).
     */
    private boolean getWatched(Cycle c, WatchRequest watch) throws CycleFailure {
        try (LogFields task = LogFields.task(watch.getTaskId())) {
            return getWatchedLogged(c, watch);
        }
    }

    private boolean getWatchedLogged(Cycle c, WatchRequest watch) throws CycleFailure {
        TaskKey key = TaskKeys.of(watch);
        String id = watch.getTaskId();
        if (c.seen.contains(id)) {
            // the list of this cycle already published it
            if (c.terminal.containsKey(id)) {
                release(key, "terminal");
            }
            return false;
        }
        Target scoped = watch.getEndpoint() == null ? target : withEndpoint(URI.create(watch.getEndpoint()));
        ApiResponse response = call(c, scoped, getById.getRequest(scoped, id), true);
        if (response == null) {
            return false;
        }
        Optional<TaskSnapshot> snapshot = Optional.empty();
        if (response.status() >= 200 && response.status() < 300) { // else the policy said "not found"
            try {
                snapshot = getById.parseGet(scoped, id, response.body(), response.receivedAt(), response.source());
            } catch (TaskRejectedException e) {
                metrics.request(RequestOutcomes.of(response.status(), null));
                deadLetter(List.of(e.reject()), response.source()); // the watch stays: it may become readable
                return true;
            } catch (MalformedResponseException e) {
                throw malformed(response, e);
            }
        }
        metrics.request(RequestOutcomes.of(response.status(), null));
        if (snapshot.isEmpty()) {
            Instant giveUp = watch.getRequestedAt().plus(settings.watchNotFoundGrace());
            if (clock.instant().isBefore(giveUp)) {
                LOG.debug("Target {}: watched task {} not found yet; retrying until {}", target.name(), id, giveUp);
            } else {
                LOG.warn("Target {}: watched task {} still not found {} after it was requested at {}; dropping "
                        + "the watch", target.name(), id, settings.watchNotFoundGrace(), watch.getRequestedAt());
                metrics.watchNotFound();
                release(key, "not found");
            }
            return true;
        }
        publish(c, List.of(snapshot.get()));
        if (TaskStatuses.isTerminal(snapshot.get().getStatus())) {
            release(key, "terminal");
        }
        return true;
    }

    private Target withEndpoint(URI endpoint) {
        return new Target(target.name(), target.service(), target.region(), target.projectId(), endpoint,
                target.credentials(), target.interval(), target.activeInterval(), target.lookback());
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

    private void publish(Cycle c, List<TaskSnapshot> snapshots) throws CycleFailure {
        if (snapshots.isEmpty()) {
            return;
        }
        try {
            sink.publish(target, snapshots);
        } catch (SinkUnavailableException e) {
            throw new CycleFailure(null, "publish", true, null, "Could not publish snapshots of target "
                    + target.name() + ": " + e.getMessage(), e);
        }
        lastPublish = clock.instant();
        metrics.published(snapshots.size());
        c.published += snapshots.size();
    }

    /**
     * One request with the response policy. Returns only responses to parse (successes and, for get-by-id, "not
     * found"), or null after a first 401: the authenticator is invalidated and the next step repeats the request.
     */
    private ApiResponse call(Cycle c, Target to, ApiRequest request, boolean getByIdCall) throws CycleFailure {
        c.requested = true;
        c.requests++;
        ApiResponse response;
        try {
            response = http.execute(to, request, authenticator);
        } catch (TransportException e) {
            metrics.request(e.label());
            throw new CycleFailure(e.outcome(), e.label(), e.backsOff(), null, e.getMessage(), e);
        } catch (AuthenticationException e) {
            throw new CycleFailure(null, "auth", true, null, "Authentication with "
                    + authenticator.describe() + " failed for target " + target.name() + ": " + e.getMessage(), e);
        }
        ResponseOutcome outcome = policy.classify(response, getByIdCall,
                getById != null ? getById::isNotFound : (status, body) -> false);
        if (outcome == ResponseOutcome.SUCCESS || outcome == ResponseOutcome.NOT_FOUND) {
            c.attempt = 1;
            return response; // counted once parsed: a 200 that cannot be read counts as "malformed"
        }
        String code = response.apiErrorCode();
        metrics.request(RequestOutcomes.of(response.status(), code));
        if (outcome == ResponseOutcome.UNAUTHORIZED && c.attempt == 1) {
            LOG.info("Target {}: HTTP 401 from {}; refreshing {} and retrying once", target.name(),
                    response.source(), authenticator.describe());
            authenticator.invalidate();
            c.attempt = 2;
            return null;
        }
        c.attempt = 1;
        throw failure(outcome, response, code);
    }

    private CycleFailure failure(ResponseOutcome outcome, ApiResponse response, String code) {
        String status = "HTTP " + response.status() + (code == null ? "" : " " + code);
        return switch (outcome) {
            case THROTTLED -> new CycleFailure(outcome, "throttled", true, response.retryAfterDelay(),
                    "Throttled by the API gateway (" + status + ") at " + response.source()
                            + (response.retryAfter() == null ? "" : ", Retry-After " + response.retryAfter()), null);
            case UNAUTHORIZED -> new CycleFailure(outcome, "unauthorized", true, null, "Target " + target.name()
                    + " is not authorised (" + status + ") even with fresh authentication from "
                    + authenticator.describe(), null);
            case FORBIDDEN -> new CycleFailure(outcome, "forbidden", false, null, "Permission problem: "
                    + authenticator.describe() + " may not read the task center of target " + target.name() + " ("
                    + status + " at " + response.source() + "); check the account's permissions", null);
            case SERVER_ERROR -> new CycleFailure(outcome, "server error", true, null, "Server error " + status
                    + " from target " + target.name() + " at " + response.source(), null);
            default -> new CycleFailure(outcome, "client error", false, null, "Request rejected with " + status
                    + " by target " + target.name() + " at " + response.source() + ": " + response.excerpt(),
                    null);
        };
    }

    private CycleFailure malformed(ApiResponse response, MalformedResponseException e) {
        metrics.request("malformed");
        metrics.malformed();
        // the dialect's message usually quotes the body already: say it once
        String detail = String.valueOf(e.getMessage());
        LOG.warn("Target {}: malformed response from {} (HTTP {}): {}", target.name(), response.source(),
                response.status(), detail.contains("body starts:") ? detail
                        : detail + "; body starts: " + response.excerpt());
        return new CycleFailure(null, "malformed", true, null, "Malformed response from target " + target.name()
                + " at " + response.source() + ": " + e.getMessage(), e);
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

    private record Continuation(Instant from, int offset) {}

    /** The progress of one cycle. */
    private static final class Cycle {
        final Instant start;
        final Set<String> seen = new HashSet<>();
        /** Ids of elements the dialect rejected in this listing; null for one whose id was unreadable. */
        final Set<String> unreadable = new HashSet<>();
        final Map<String, TaskSnapshot> terminal = new HashMap<>();
        TimeWindow window;
        int offset;
        Continuation resume;
        boolean history;
        boolean listingDone;
        List<WatchRequest> watches;
        int watchIndex;
        /** 1, or 2 while repeating a request after a 401. */
        int attempt = 1;
        /** Whether the current step sent a request. */
        boolean requested;
        int requests;
        int pages;
        int published;

        Cycle(Instant start) {
            this.start = start;
        }
    }
}
