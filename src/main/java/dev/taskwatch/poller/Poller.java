package dev.taskwatch.poller;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import kong.unirest.core.UnirestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller role: polls every target on its own schedule and publishes what it sees.
 *
 * <p>Usage by the runtime:
 * <pre>{@code
 * WatchSet watchSet = WatchSet.forTargets(polledTargets, registry);       // the get-by-id targets
 * KafkaWatchRequests watch = new KafkaWatchRequests(kafkaProps, serdeConfig, topics.watchRequests(), watchSet);
 * SnapshotSink sink = new KafkaSnapshotSink(kafkaProps, serdeConfig, topics);
 * Poller poller = new Poller(settings, polledTargets, rateLimitsByCredentialName, sink, watchSet, watch,
 *         unirest, registry, Clock.systemUTC());
 * watch.start();
 * poller.start();
 * poller.stopped().join();   // completes exceptionally with a PollerException on a fatal producer error: exit != 0
 * ...
 * poller.close();            // stops scheduling, waits for running cycles, closes the sink; then close watch
 * }</pre>
 *
 * <p>Each target runs in its own lane of the {@link Scheduler} (a thread per target in production): cycles of one
 * target never overlap, and a target that fails or backs off only delays itself. Targets sharing a credential share
 * its {@link TokenBucket}. The first cycles start spread over the first second so that targets do not all fire at once.
 */
public final class Poller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final List<TargetPoller> targets = new ArrayList<>();
    private final SnapshotSink sink;
    private final Scheduler scheduler;
    private final DoubleSupplier random;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean running;
    private volatile PollerException failure;

    /**
     * The production poller: a thread per target, real sleeping, random jitter.
     *
     * @param rateLimits per credential name ({@code Target.credentials()}); a credential missing here gets
     *                   {@link RateLimit#DEFAULT}
     * @param unirest    configured by the caller (connect timeout, proxy); the request timeout is
     *                   {@code settings.requestTimeout()}
     */
    public Poller(PollerSettings settings, List<PolledTarget> targets, Map<String, RateLimit> rateLimits,
            SnapshotSink sink, WatchSet watchSet, WatchReleaser releaser, UnirestInstance unirest,
            MeterRegistry registry, Clock clock) {
        this(settings, targets, rateLimits, sink, watchSet, releaser, unirest, registry, clock,
                new ExecutorScheduler(), Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With injected scheduling, sleeping and randomness (tests). */
    public Poller(PollerSettings settings, List<PolledTarget> targets, Map<String, RateLimit> rateLimits,
            SnapshotSink sink, WatchSet watchSet, WatchReleaser releaser, UnirestInstance unirest,
            MeterRegistry registry, Clock clock, Scheduler scheduler, Sleeper sleeper, DoubleSupplier random) {
        this.sink = sink;
        this.scheduler = scheduler;
        this.random = random;
        TaskCenterHttp http = new TaskCenterHttp(unirest, settings.requestTimeout(), clock);
        ResponsePolicy policy = new StatusCodeResponsePolicy();
        Map<String, TokenBucket> buckets = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (PolledTarget t : targets) {
            if (!names.add(t.target().name())) {
                throw new IllegalArgumentException("Duplicate target name '" + t.target().name() + "'");
            }
            String credential = t.target().credentials();
            TokenBucket bucket = buckets.computeIfAbsent(credential,
                    c -> new TokenBucket(rateLimits.getOrDefault(c, RateLimit.DEFAULT), clock));
            this.targets.add(new TargetPoller(t, settings, http, policy, bucket, sleeper, sink, watchSet, releaser,
                    registry, clock, random));
        }
    }

    /** Schedules the first cycle of every target. */
    public synchronized void start() {
        if (running || failure != null) {
            throw new IllegalStateException("Poller already started");
        }
        running = true;
        LOG.info("Poller starting with {} targets", targets.size());
        for (TargetPoller t : targets) {
            schedule(t, Duration.ofMillis((long) (1000 * random.getAsDouble())));
        }
    }

    private void schedule(TargetPoller t, Duration delay) {
        if (running) {
            scheduler.schedule(t.target().name(), delay, () -> runCycle(t));
        }
    }

    private void runCycle(TargetPoller t) {
        // Every line logged for this target, including the unexpected-error one below, carries its name.
        try (LogFields fields = LogFields.target(t.target())) {
            runCycleLogged(t);
        }
    }

    private void runCycleLogged(TargetPoller t) {
        if (!running) {
            return;
        }
        Duration next;
        try {
            next = t.runCycle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (FatalSinkException e) {
            fail(new PollerException("Poller stopped: cannot publish snapshots of target " + t.target().name()
                    + ": " + e.getMessage(), e));
            return;
        } catch (RuntimeException e) {
            // a bug or a dialect throwing unexpectedly: keep this target alive, never the others' concern
            LOG.error("Unexpected error polling target {}; retrying at its interval", t.target().name(), e);
            t.recordUnexpected(e);
            next = t.target().interval();
        }
        schedule(t, next);
    }

    private void fail(PollerException e) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = e;
            running = false;
        }
        LOG.error("{}", e.getMessage(), e.getCause());
        stopped.completeExceptionally(e);
    }

    /** Per target: whether a cycle completed, the last error, the last success time. */
    public List<TargetHealth> health() {
        return targets.stream().map(TargetPoller::health).toList();
    }

    /** The fatal error that stopped the poller, if any. */
    public Optional<PollerException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Completes when the poller is closed, or exceptionally with the {@link PollerException} that stopped it. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Stops scheduling, waits for running cycles, closes the sink (flushing it). Idempotent. */
    @Override
    public void close() {
        running = false;
        scheduler.close();
        sink.close();
        stopped.complete(null);
        LOG.info("Poller stopped");
    }
}
