package dev.taskwatch.poller;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import kong.unirest.core.UnirestInstance;

/**
 * Assembles a {@link Poller} ({@link Poller#builder}); every method returns this builder. The parts are read by
 * the poller's constructor, in this package.
 */
public final class PollerBuilder {
    final PollerSettings settings;
    final List<PolledTarget> targets;
    Map<String, RateLimit> rateLimits = Map.of();
    SnapshotSink sink;
    PositionSink positions = PositionSink.NONE;
    Map<String, TargetPosition> stored = Map.of();
    Function<String, TargetPosition> positionLookup = name -> null;
    WatchSet watchSet;
    WatchReleaser releaser = key -> { };
    UnirestInstance unirest;
    long maxResponseBytes = TaskCenterHttp.DEFAULT_MAX_RESPONSE_BYTES;
    TaskCenterClient client;
    MeterRegistry registry;
    Clock clock = Clock.systemUTC();
    DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    boolean manual;

    PollerBuilder(PollerSettings settings, List<PolledTarget> targets) {
        this.settings = Objects.requireNonNull(settings);
        this.targets = List.copyOf(targets);
    }

    /** Requests per second per credential name; missing credentials get {@link RateLimit#DEFAULT}. */
    public PollerBuilder rateLimits(Map<String, RateLimit> rateLimits) {
        this.rateLimits = Map.copyOf(rateLimits);
        return this;
    }

    /** Required: where snapshots go (see {@link SnapshotSink#publish(dev.taskwatch.taskcenter.Target, List)}). */
    public PollerBuilder snapshots(SnapshotSink sink) {
        this.sink = sink;
        return this;
    }

    /**
     * Where positions go, and the positions stored before (target name to position; a position written for
     * another service/region/project/endpoint is ignored). Default: none kept, every start reads the history.
     */
    public PollerBuilder positions(PositionSink positions, Map<String, TargetPosition> stored) {
        this.positions = Objects.requireNonNull(positions);
        this.stored = Map.copyOf(stored);
        return this;
    }

    /**
     * Where the stored position of a target added later ({@link Poller#updateTargets}) is read when the positions
     * given to {@link #positions} do not have it (a Connect task reads its offset then); null for none. Default:
     * none.
     */
    public PollerBuilder positionLookup(Function<String, TargetPosition> lookup) {
        this.positionLookup = Objects.requireNonNull(lookup);
        return this;
    }

    /** The watched ids (get-by-id targets) and who releases them. Default: an empty set. */
    public PollerBuilder watch(WatchSet watchSet, WatchReleaser releaser) {
        this.watchSet = watchSet;
        this.releaser = releaser;
        return this;
    }

    /** The HTTP client for task-center requests (connect timeout, proxy and trust are its configuration). */
    public PollerBuilder http(UnirestInstance unirest) {
        this.unirest = unirest;
        return this;
    }

    /**
     * {@code poller.max-response-size}: a task-center body larger than this is malformed (default
     * {@link TaskCenterHttp#DEFAULT_MAX_RESPONSE_BYTES}); only for the {@link #http} transport.
     */
    public PollerBuilder maxResponseBytes(long maxResponseBytes) {
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive, got " + maxResponseBytes);
        }
        this.maxResponseBytes = maxResponseBytes;
        return this;
    }

    /** Another transport instead of {@link TaskCenterHttp} (tests, benchmarks). */
    public PollerBuilder client(TaskCenterClient client) {
        this.client = client;
        return this;
    }

    public PollerBuilder metrics(MeterRegistry registry) {
        this.registry = registry;
        return this;
    }

    public PollerBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Uniform values in [0, 1) for phases and backoff jitter (tests pass constants). */
    public PollerBuilder random(DoubleSupplier random) {
        this.random = random;
        return this;
    }

    /** No threads: the caller drives {@link Poller#runDue()} (tests and benchmarks on a manual clock). */
    public PollerBuilder manual() {
        this.manual = true;
        return this;
    }

    public Poller build() {
        return new Poller(this);
    }
}
