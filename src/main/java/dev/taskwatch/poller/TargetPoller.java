package dev.taskwatch.poller;

import dev.taskwatch.TaskStatuses;
import dev.taskwatch.TaskKeys;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
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
 * Polls one target, one cycle at a time: list every page of the window, then get every watched id, publishing each
 * page as it arrives. A cycle never sleeps for backoff; it returns the delay before the next cycle, and the caller
 * schedules it. The only waiting inside a cycle is for the credential's rate limiter.
 *
 * <p>State: {@link #known} holds the tasks of this target last seen non-terminal (task id to created_at), updated only
 * after the page that showed them was acknowledged by the sink. It decides how far back the window reaches and whether
 * the fast interval applies. It lives in memory only, so until the first complete listing of this process the window
 * reaches back over the API's whole history (30 days): a task started long before {@code lookback} that ended while
 * taskwatch was down still gets its terminal snapshot, whatever the length of the downtime.
 */
public final class TargetPoller {

    private static final Logger LOG = LoggerFactory.getLogger(TargetPoller.class);

    /** The APIs show about one month of history. */
    static final Duration API_HISTORY = Service.API_VISIBILITY;
    /** Keeps the window start clearly inside the visible history, whatever the API's clock says. */
    static final Duration HISTORY_MARGIN = Duration.ofMinutes(10);
    /** Window end beyond now: tasks created while the request travels, and clock skew. */
    static final Duration WINDOW_END_MARGIN = Duration.ofMinutes(1);

    private final PolledTarget polled;
    private final Target target;
    /** The dialect's capabilities; null where the service lacks one. */
    private final ListingDialect listing;
    private final GetByIdDialect getById;
    private final Authenticator authenticator;
    private final PollerSettings settings;
    private final TaskCenterHttp http;
    private final ResponsePolicy policy;
    private final TokenBucket rateLimiter;
    private final Sleeper sleeper;
    private final SnapshotSink sink;
    private final WatchSet watchSet;
    private final WatchReleaser releaser;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Backoff backoff;
    private final PollerMetrics metrics;
    private final RejectedTasks rejected;

    private final Map<String, Instant> known = new ConcurrentHashMap<>();
    /** Whether a listing of the whole visible history has completed since this process started (see class doc). */
    private volatile boolean historyRead;
    /** Where the next cycle resumes after the page guard stopped one; null when the last listing was complete. */
    private Continuation continuation;
    private int consecutiveFailures;
    private volatile TargetHealth health;

    TargetPoller(PolledTarget polled, PollerSettings settings, TaskCenterHttp http, ResponsePolicy policy,
            TokenBucket rateLimiter, Sleeper sleeper, SnapshotSink sink, WatchSet watchSet, WatchReleaser releaser,
            io.micrometer.core.instrument.MeterRegistry registry, Clock clock, DoubleSupplier random) {
        this.polled = polled;
        this.target = polled.target();
        this.listing = polled.dialect().listing().orElse(null);
        this.getById = polled.dialect().getById().orElse(null);
        this.authenticator = polled.authenticator();
        this.settings = settings;
        this.http = http;
        this.policy = policy;
        this.rateLimiter = rateLimiter;
        this.sleeper = sleeper;
        this.sink = sink;
        this.watchSet = watchSet;
        this.releaser = releaser;
        this.clock = clock;
        this.random = random;
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), random);
        this.metrics = new PollerMetrics(registry, target.name(), this::inflight);
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

    /** Task ids last seen non-terminal, to created_at. */
    Map<String, Instant> known() {
        return Collections.unmodifiableMap(known);
    }

    /**
     * Runs one cycle and returns the delay before the next one.
     *
     * @throws FatalSinkException   when publishing can never succeed again
     * @throws InterruptedException when the poller is closing
     */
    public Duration runCycle() throws InterruptedException {
        Instant start = clock.instant();
        CycleStats stats = new CycleStats();
        try {
            Set<String> seenInList = new HashSet<>();
            Map<String, TaskSnapshot> terminalInList = new HashMap<>();
            if (listing != null) {
                listWindow(start, stats, seenInList, terminalInList);
            }
            if (getById != null) {
                pollWatched(stats, seenInList, terminalInList);
            }
            consecutiveFailures = 0;
            Instant end = clock.instant();
            health = new TargetHealth(target.name(), true, end, null, null, null);
            boolean active = inflight() > 0 || continuation != null;
            Duration next = jittered(active ? target.activeInterval() : target.interval());
            LOG.info("Polled {}: {} requests, {} pages, {} snapshots published, {} running, next poll in {} ms",
                    target.name(), stats.requests, stats.pages, stats.published, inflight(), next.toMillis());
            return next;
        } catch (CycleFailure f) {
            consecutiveFailures++;
            Duration next = f.backsOff() ? backoff.delay(consecutiveFailures, f.retryAfter())
                    : jittered(target.interval());
            health = new TargetHealth(target.name(), health.cycleCompleted(), health.lastSuccess(), f.getMessage(),
                    clock.instant(), f.outcome());
            LOG.warn("Poll of {} failed ({}, {} in a row): {}; {} snapshots published before; next poll in {} ms",
                    target.name(), f.tag(), consecutiveFailures, f.getMessage(), stats.published, next.toMillis());
            return next;
        } finally {
            metrics.cycle(Duration.between(start, clock.instant()));
        }
    }

    /** Records a cycle that ended with an unexpected exception (a bug or a dialect throwing) in the health view. */
    void recordUnexpected(RuntimeException e) {
        consecutiveFailures++;
        health = new TargetHealth(target.name(), health.cycleCompleted(), health.lastSuccess(),
                "Unexpected error polling target " + target.name() + ": " + e, clock.instant(), null);
    }

    /**
     * The creation-time window of a cycle starting at {@code now}: from the earlier of {@code now - lookback} (the whole
     * history until the first complete listing) and the creation of the oldest task known to be still running, to {@code now} plus a margin; never further back than
     * the API's 30 days (minus a margin) nor than the dialect's largest span.
     */
    TimeWindow window(Instant now) {
        Instant from = now.minus(historyRead ? target.lookback() : API_HISTORY);
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

    private void listWindow(Instant now, CycleStats stats, Set<String> seen, Map<String, TaskSnapshot> terminal)
            throws CycleFailure, InterruptedException {
        forgetBeyondHistory(now);
        // After the page guard stopped the previous cycle, go on from its offset in a window with the same start:
        // new tasks can only shift entries towards later offsets, so at worst a few are read twice, none skipped.
        Continuation resume = continuation;
        TimeWindow window = resume == null ? window(now) : bounded(resume.from(), now);
        int limit = polled.effectivePageSize();
        int offset = resume == null ? 0 : resume.offset();
        boolean complete = false;
        Set<String> unreadable = new HashSet<>(); // ids of rejected elements; null for one whose id was unreadable
        for (int page = 0; page < settings.maxPagesPerCycle(); page++) {
            ApiRequest request = listing.listRequest(target, window, offset, limit);
            ApiResponse response = call(target, request, false, stats);
            TaskPage parsed;
            try {
                parsed = listing.parseList(target, response.body(), limit, response.receivedAt(), response.source());
            } catch (MalformedResponseException e) {
                throw malformed(response, e);
            }
            metrics.request(RequestOutcomes.of(response.status(), null));
            stats.pages++;
            publish(parsed.tasks(), stats);
            deadLetter(parsed.rejects(), response.source());
            for (TaskReject r : parsed.rejects()) {
                unreadable.add(r.taskId()); // still there, just unreadable: a known id stays known
            }
            for (TaskSnapshot s : parsed.tasks()) {
                seen.add(s.getTaskId());
                if (TaskStatuses.isTerminal(s.getStatus())) {
                    terminal.put(s.getTaskId(), s);
                }
                remember(s);
            }
            offset += parsed.elements(); // rejects hold their place in the paging
            if (parsed.elements() < limit
                    || (parsed.totalCount() != null && offset >= parsed.totalCount())) {
                complete = true;
                break;
            }
        }
        if (!complete) {
            continuation = new Continuation(window.from(), offset);
            LOG.warn("Target {}: stopped after poller.max-pages-per-cycle={} pages in window {}..{}; the next cycle "
                    + "continues at offset {}", target.name(), settings.maxPagesPerCycle(), window.from(),
                    window.to(), offset);
            return;
        }
        continuation = null;
        historyRead = true;
        if (resume != null) {
            return; // a resumed read did not see the first pages: it cannot tell which known tasks are gone
        }
        if (unreadable.contains(null)) {
            return; // an element without a readable id could be any known task: none is known to be gone
        }
        // A task known as running that a complete read of a window covering it no longer shows is gone.
        known.entrySet().removeIf(e -> !seen.contains(e.getKey()) && !unreadable.contains(e.getKey())
                && !e.getValue().isBefore(window.from()));
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

    private void pollWatched(CycleStats stats, Set<String> seenInList, Map<String, TaskSnapshot> terminalInList)
            throws CycleFailure, InterruptedException {
        for (WatchRequest watch : watchSet.entriesFor(target)) {
            try (LogFields task = LogFields.task(watch.getTaskId())) {
                pollWatched(watch, stats, seenInList, terminalInList);
            }
        }
    }

    private void pollWatched(WatchRequest watch, CycleStats stats, Set<String> seenInList,
            Map<String, TaskSnapshot> terminalInList) throws CycleFailure, InterruptedException {
        TaskKey key = TaskKeys.of(watch);
        String id = watch.getTaskId();
        if (seenInList.contains(id)) {
            // the list of this cycle already published it
            if (terminalInList.containsKey(id)) {
                release(key, "terminal");
            }
            return;
        }
        Target scoped = watch.getEndpoint() == null ? target : withEndpoint(URI.create(watch.getEndpoint()));
        ApiResponse response = call(scoped, getById.getRequest(scoped, id), true, stats);
        Optional<TaskSnapshot> snapshot = Optional.empty();
        if (response.status() >= 200 && response.status() < 300) { // else the policy said "not found"
            try {
                snapshot = getById.parseGet(scoped, id, response.body(), response.receivedAt(),
                        response.source());
            } catch (TaskRejectedException e) {
                metrics.request(RequestOutcomes.of(response.status(), null));
                deadLetter(List.of(e.reject()), response.source()); // the watch stays: it may become readable
                return;
            } catch (MalformedResponseException e) {
                throw malformed(response, e);
            }
        }
        metrics.request(RequestOutcomes.of(response.status(), null));
        if (snapshot.isEmpty()) {
            Instant giveUp = watch.getRequestedAt().plus(settings.watchNotFoundGrace());
            if (clock.instant().isBefore(giveUp)) {
                LOG.debug("Target {}: watched task {} not found yet; retrying until {}", target.name(), id,
                        giveUp);
            } else {
                LOG.warn("Target {}: watched task {} still not found {} after it was requested at {}; dropping "
                        + "the watch", target.name(), id, settings.watchNotFoundGrace(), watch.getRequestedAt());
                metrics.watchNotFound();
                release(key, "not found");
            }
            return;
        }
        publish(List.of(snapshot.get()), stats);
        if (TaskStatuses.isTerminal(snapshot.get().getStatus())) {
            release(key, "terminal");
        }
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

    private void publish(List<TaskSnapshot> snapshots, CycleStats stats) throws CycleFailure {
        if (snapshots.isEmpty()) {
            return;
        }
        try {
            sink.publish(snapshots);
        } catch (SinkUnavailableException e) {
            throw new CycleFailure(null, "publish", true, null, "Could not publish snapshots of target "
                    + target.name() + ": " + e.getMessage(), e);
        }
        metrics.published(snapshots.size());
        stats.published += snapshots.size();
    }

    /**
     * One request with its rate-limit turn, the response policy and one retry after a 401. Returns only responses
     * to parse: successes and, for get-by-id, "not found".
     */
    private ApiResponse call(Target to, ApiRequest request, boolean getByIdCall, CycleStats stats)
            throws CycleFailure, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            rateLimiter.acquire(sleeper);
            stats.requests++;
            ApiResponse response;
            try {
                response = http.execute(to, request, authenticator);
            } catch (TransportException e) {
                metrics.request(e.label());
                throw new CycleFailure(e.outcome(), e.label(), e.backsOff(), null, e.getMessage(), e);
            } catch (AuthenticationException e) {
                throw new CycleFailure(null, "auth", true, null, "Authentication with "
                        + authenticator.describe() + " failed for target " + target.name() + ": " + e.getMessage(),
                        e);
            }
            ResponseOutcome outcome = policy.classify(response, getByIdCall,
                    getById != null ? getById::isNotFound : (status, body) -> false);
            if (outcome == ResponseOutcome.SUCCESS || outcome == ResponseOutcome.NOT_FOUND) {
                return response; // counted once parsed: a 200 that cannot be read counts as "malformed"
            }
            String code = response.apiErrorCode();
            metrics.request(RequestOutcomes.of(response.status(), code));
            if (outcome == ResponseOutcome.UNAUTHORIZED && attempt == 1) {
                LOG.info("Target {}: HTTP 401 from {}; refreshing {} and retrying once", target.name(),
                        response.source(), authenticator.describe());
                authenticator.invalidate();
                continue;
            }
            throw failure(outcome, response, code);
        }
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

    private Duration jittered(Duration interval) {
        double factor = 1 + settings.jitter() * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(0, Math.round(interval.toMillis() * factor)));
    }

    private record Continuation(Instant from, int offset) {}

    private static final class CycleStats {
        int requests;
        int pages;
        int published;
    }
}
