package dev.taskwatch.poller;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import kong.unirest.core.UnirestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller engine: polls any number of targets within each credential's request budget and hands what it sees to a
 * {@link SnapshotSink} (snapshots) and a {@link PositionSink} (where each target stands). Shared by the standalone
 * {@code poll}/{@code run} roles and the Kafka Connect source task.
 *
 * <h2>Threads and budget</h2>
 * One {@link CredentialLane} per credential holds that credential's targets in a due-time queue and sends at most one
 * request at a time, each starting one slot ({@code 1 / requests-per-second}) after the previous one ended. In
 * threaded mode ({@link #start()}) each lane has one daemon thread ({@link LaneThreads}),
 * {@code taskwatch-poller-<credential>}: credentials are few (a handful of accounts) while targets may be thousands,
 * and a slow or throttled credential blocks only its own thread. The budget rules (active targets first, idle targets oldest-due first, first listings one page per slot, throttling pauses the whole credential,
 * random phase instead of stretched intervals) are documented on {@link CredentialLane}.
 *
 * <h2>Standalone use</h2>
 * <pre>{@code
 * KafkaPositionStore positions = new KafkaPositionStore(kafkaProps, topics.pollerPositions());
 * Poller poller = Poller.builder(settings, polledTargets)
 *         .rateLimits(rateLimitsByCredentialName)
 *         .snapshots(new KafkaSnapshotSink(kafkaProps, serdeConfig, topics))   // returns once acknowledged
 *         .positions(positions, positions.readAll())      // stored positions: only new targets read 30 days
 *         .watch(watchSet, watchRequests)
 *         .http(unirest).metrics(registry).clock(Clock.systemUTC())
 *         .build();
 * poller.start();
 * poller.stopped().join();   // completes exceptionally with a PollerException on a fatal sink error
 * poller.close();            // stops the lanes (waits for the request in flight), closes the snapshot sink
 * }</pre>
 *
 * <h2>Kafka Connect use (a {@code SourceTask})</h2>
 * <ul>
 *   <li>{@code start(props)}: build the targets of this task; read the stored positions with
 *       {@code context.offsetStorageReader().offsets(partitions)} where a target's source partition is
 *       {@code Map.of("target", name)} and its offset decodes with {@link TargetPosition#fromSourceOffset}; build
 *       the poller with a {@link SnapshotSink} whose {@link SnapshotSink#publish(dev.taskwatch.taskcenter.Target,
 *       List)} puts ready-to-send records (serialized {@code TaskKey}/{@code TaskSnapshot}, source partition = target,
 *       source offset = that target's latest position) into a bounded queue and returns (blocking while the queue is
 *       full is the back-pressure), and a {@link PositionSink} that records the target's latest position for the
 *       offsets of its next records (a position with no later record may be sent on a heartbeat record or simply
 *       wait: Connect commits offsets only of acknowledged records, so a position is never ahead of the data);
 *       then {@link #start()}. The engine runs on its own lane threads; the task has none of its own.</li>
 *   <li>{@code poll()}: drain the queue (wait briefly when empty); rethrow {@link #failure()} as a
 *       {@code ConnectException} so the worker fails the task.</li>
 *   <li>{@code stop()}: {@link #close()} (idempotent, returns within a request timeout).</li>
 * </ul>
 *
 * <h2>Manual driving</h2>
 * Built with {@link PollerBuilder#manual()}, {@link #start()} starts no thread; tests and benchmarks move a clock and call
 * {@link #runDue()} instead, which runs every lane that is due at the clock's now.
 */
public final class Poller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final Map<String, CredentialLane> lanes = new java.util.concurrent.ConcurrentHashMap<>();
    /** The targets polled now, by name, in the order they were added; changed only under {@code this}. */
    private final Map<String, TargetPoller> targets = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final PollerBuilder parts;
    /**
     * The positions stored before the start, updated with each one stored since: a target that discovery removes and
     * adds again resumes from where it stood.
     */
    private final Map<String, TargetPosition> storedPositions = new java.util.concurrent.ConcurrentHashMap<>();
    private final TaskCenterClient client;
    private final ResponsePolicy policy = new StatusCodeResponsePolicy();
    private final SnapshotSink sink;
    private final PublishPause pause;
    private final Clock clock;
    private final boolean manual;
    private final Duration closeTimeout;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final LaneThreads threads;
    private volatile boolean running;
    private volatile PollerException failure;

    /**
     * The production poller without stored positions (every start reads each target's history): threaded, real
     * HTTP, random phases.
     *
     * @param rateLimits per credential name ({@code Target.credentials()}); a credential missing here gets
     *                   {@link RateLimit#DEFAULT}
     * @param unirest    configured by the caller (connect timeout, proxy); the request timeout is
     *                   {@code settings.requestTimeout()}
     */
    public Poller(PollerSettings settings, List<PolledTarget> targets, Map<String, RateLimit> rateLimits,
            SnapshotSink sink, WatchSet watchSet, WatchReleaser releaser, UnirestInstance unirest,
            MeterRegistry registry, Clock clock) {
        this(builder(settings, targets).rateLimits(rateLimits).snapshots(sink).watch(watchSet, releaser)
                .http(unirest).metrics(registry).clock(clock));
    }

    Poller(PollerBuilder b) {
        if (b.registry == null) {
            b.registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        }
        if (b.watchSet == null) {
            b.watchSet = WatchSet.forTargets(b.targets, b.registry);
        }
        this.sink = Objects.requireNonNull(b.sink, "snapshots");
        this.pause = new PublishPause(sink);
        this.clock = b.clock;
        this.manual = b.manual;
        this.parts = b;
        this.threads = new LaneThreads(clock, () -> running, this::fatal);
        storedPositions.putAll(b.stored);
        PositionSink positions = b.positions;
        b.positions = (target, position) -> {
            positions.store(target, position);
            storedPositions.put(target.name(), position);
        };
        this.closeTimeout = b.settings.requestTimeout().plusSeconds(5);
        this.client = b.client != null ? b.client
                : new TaskCenterHttp(Objects.requireNonNull(b.unirest, "http"), b.settings.requestTimeout(),
                        b.maxResponseBytes, clock);
        Set<String> names = new HashSet<>();
        Instant start = clock.instant();
        int restored = 0;
        for (PolledTarget t : b.targets) {
            String name = t.target().name();
            if (!names.add(name)) {
                throw new IllegalArgumentException("Duplicate target name '" + name + "'");
            }
            TargetPoller poller = targetPoller(t);
            if (poller.restored()) {
                restored++;
            }
            lane(t.target().credentials()).add(poller, start, b.random.getAsDouble());
            targets.put(name, poller);
        }
        b.rateLimits.keySet().forEach(this::lane);
        b.watchSet.onChange(this::watchSetChanged);
        LOG.info("Poller: {} targets on {} credentials; {} resume from a stored position, {} read their history",
                targets.size(), lanes.size(), restored, targets.size() - restored);
    }

    private TargetPoller targetPoller(PolledTarget t) {
        PollerBuilder b = parts;
        TargetPoller poller = new TargetPoller(t, b.settings, client, policy, sink, b.watchSet, b.releaser,
                b.registry, clock, b.random);
        TargetPosition position = storedPositions.get(t.target().name());
        if (position == null) {
            position = b.positionLookup.apply(t.target().name());
        }
        if (position != null) {
            poller.restore(position);
        }
        return poller;
    }

    /** The lane of {@code credential}, made (and in threaded mode started, once running) on first use. */
    private CredentialLane lane(String credential) {
        return lanes.computeIfAbsent(credential, c -> {
            PollerBuilder b = parts;
            RateLimit rate = b.rateLimits.getOrDefault(c, RateLimit.DEFAULT);
            CredentialLane lane = new CredentialLane(c, rate, b.settings, b.random,
                    new LaneMetrics(b.registry, c, rate.requestsPerSecond()), b.positions, pause, clock);
            if (running && !manual) {
                threads.start(lane);
            }
            return lane;
        });
    }

    /**
     * Replaces the set of polled targets while polling goes on (discovery): a target whose name is new is added
     * (resuming from its stored position, if the builder had one, else reading its history), a target no longer in
     * {@code wanted} stops being polled (its stored position is left as it is), and a target whose name stays but
     * whose definition changed (endpoint, intervals) is replaced. Each lane applies the change on its own thread
     * before its next request. Watched ids are served only for the scopes of the poller's
     * {@linkplain PollerBuilder#watch watch set}.
     *
     * @return how many targets were added and removed
     */
    public synchronized Change updateTargets(List<PolledTarget> wanted) {
        Map<String, PolledTarget> byName = new LinkedHashMap<>();
        for (PolledTarget t : wanted) {
            if (byName.put(t.target().name(), t) != null) {
                throw new IllegalArgumentException("Duplicate target name '" + t.target().name() + "'");
            }
        }
        int removed = 0;
        int added = 0;
        for (TargetPoller old : List.copyOf(targets.values())) {
            PolledTarget keep = byName.get(old.target().name());
            if (keep != null && keep.target().equals(old.target())
                    && keep.dialect().equals(old.polled().dialect())) {
                byName.remove(old.target().name());
                continue;
            }
            String name = old.target().name();
            CredentialLane lane = lanes.get(old.target().credentials());
            lane.change(() -> lane.remove(name));
            targets.remove(name);
            removeMeters(name);
            removed++;
        }
        Instant start = clock.instant();
        for (PolledTarget t : byName.values()) {
            TargetPoller poller = targetPoller(t);
            double phase = parts.random.getAsDouble();
            CredentialLane lane = lane(t.target().credentials());
            lane.change(() -> lane.add(poller, start, phase));
            targets.put(t.target().name(), poller);
            added++;
        }
        if (added + removed > 0) {
            LOG.info("Poller: {} targets added, {} removed; {} targets now", added, removed, targets.size());
            wakeLanes();
        }
        return new Change(added, removed);
    }

    /**
     * Drops the per-target meters of a target that leaves (or is replaced): a gauge left behind would keep reading
     * the old target (its staleness growing for ever, an alert for a target nobody polls), and a replacement's
     * gauges would not register over it.
     */
    private void removeMeters(String target) {
        MeterRegistry registry = parts.registry;
        for (io.micrometer.core.instrument.Meter meter : List.copyOf(registry.getMeters())) {
            if (target.equals(meter.getId().getTag("target"))
                    && meter.getId().getName().startsWith("taskwatch.poller.")) {
                registry.remove(meter);
            }
        }
    }

    /** What {@link #updateTargets} changed. */
    public record Change(int added, int removed) {
        public boolean any() {
            return added + removed > 0;
        }
    }

    /**
     * Queues a request of {@code credential} that belongs to no target (discovery); it takes one of the credential's
     * slots (see {@link CredentialLane#submit}).
     */
    public void submit(String credential, LaneRequest request) {
        lane(credential).submit(request);
        wakeLanes();
    }

    /** The names of the targets polled now. */
    public List<String> targetNames() {
        synchronized (targets) {
            return List.copyOf(targets.keySet());
        }
    }

    /** A builder with the required parts; the rest defaults as documented on each method. */
    public static PollerBuilder builder(PollerSettings settings, List<PolledTarget> targets) {
        return new PollerBuilder(settings, targets);
    }

    /** Starts polling: one thread per credential, unless built {@linkplain PollerBuilder#manual() manual}. */
    public synchronized void start() {
        if (running || failure != null) {
            throw new IllegalStateException("Poller already started");
        }
        running = true;
        LOG.info("Poller starting with {} targets", targets.size());
        if (manual) {
            return;
        }
        lanes.values().forEach(threads::start);
    }

    private void watchSetChanged() {
        lanes.values().forEach(CredentialLane::watchSetChanged);
        wakeLanes();
    }

    private void wakeLanes() {
        threads.wake();
    }

    /**
     * Manual driving: runs every lane due at the clock's now (at most one request per lane) and returns when a lane
     * wants to run next. A fatal sink error stops the poller as in threaded mode.
     */
    public Instant runDue() {
        Instant next = null;
        for (CredentialLane lane : lanes.values()) {
            if (!running) {
                break;
            }
            Instant n;
            try {
                n = lane.runDue(clock.instant());
            } catch (FatalSinkException e) {
                fatal(e);
                break;
            }
            if (next == null || n.isBefore(next)) {
                next = n;
            }
        }
        return next == null ? clock.instant().plus(Duration.ofHours(1)) : next;
    }

    private void fatal(FatalSinkException e) {
        fail(new PollerException("Poller stopped: cannot publish snapshots of " + e.getMessage(), e));
    }

    private void fail(PollerException e) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = e;
            running = false;
        }
        threads.notifyStopped();
        LOG.error("{}", e.getMessage(), e.getCause());
        stopped.completeExceptionally(e);
    }

    /** Per target: whether a cycle completed, the last error, the last success time. */
    public List<TargetHealth> health() {
        synchronized (targets) {
            return targets.values().stream().map(TargetPoller::health).toList();
        }
    }

    /** The fatal error that stopped the poller, if any. */
    public Optional<PollerException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Completes when the poller is closed, or exceptionally with the {@link PollerException} that stopped it. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Stops the lanes (waiting for requests in flight), closes the snapshot sink (flushing it). Idempotent. */
    @Override
    public void close() {
        running = false;
        threads.notifyStopped();
        threads.join(closeTimeout);
        sink.close();
        stopped.complete(null);
        LOG.info("Poller stopped");
    }
}
