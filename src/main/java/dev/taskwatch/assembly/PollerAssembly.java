package dev.taskwatch.assembly;

import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.config.TaskwatchConfig.CredentialConfig;
import dev.taskwatch.config.TaskwatchConfig.TargetConfig;
import dev.taskwatch.http.OutboundHttp;
import dev.taskwatch.poller.KafkaWatchRequests;
import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.Poller;
import dev.taskwatch.poller.PositionSink;
import dev.taskwatch.poller.RateLimit;
import dev.taskwatch.poller.SnapshotSink;
import dev.taskwatch.poller.TargetPosition;
import dev.taskwatch.poller.WatchReleaser;
import dev.taskwatch.poller.WatchSet;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Authenticators;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kong.unirest.core.UnirestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller engine assembled once, for {@code run}/{@code poll} ({@code TaskwatchRuntime}) and for the Kafka Connect
 * source task alike: the outbound HTTP client, the watch set of the targets with its reader of the watch-requests
 * topic, and the {@link Poller} over the sinks the caller supplies (Kafka producers standalone, Connect's record queue
 * in the connector). The steps, in order: {@link #http()} for the task sources, {@link #startWatchRequests}, the
 * caller's own start-up reads (side by side with the reader's catch-up), {@link #poller}, then the caller starts it.
 *
 * <p>A slow catch-up (the watch requests present at start not read within {@link #WATCH_CATCH_UP}) logs a warning and
 * polling starts: the reader goes on in the background and each watched id joins the set when it is read, so a slow
 * topic delays only the get-by-id polling of the ids not read yet, while the list targets publish. A reader that
 * failed is different: the start fails with its cause, since watched tasks would never be polled.
 */
public final class PollerAssembly implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PollerAssembly.class);

    /** How long {@link #poller} waits for the watch set to be rebuilt before it starts polling anyway. */
    public static final Duration WATCH_CATCH_UP = Duration.ofSeconds(60);

    private final TaskwatchConfig config;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final UnirestInstance http;
    private volatile WatchSet watchSet;
    private volatile KafkaWatchRequests watchRequests;
    private volatile Poller poller;
    private volatile java.util.concurrent.ScheduledExecutorService discoveryTimer;
    private volatile java.util.function.Function<String, TargetPosition> positionLookup = name -> null;

    public PollerAssembly(TaskwatchConfig config, MeterRegistry metrics, Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        // never follows redirects: credentials stay with the configured endpoints (docs/security.md)
        this.http = OutboundHttp.create(config.pollerNetwork().clientSettings());
    }

    /** The configured targets, each with its dialect and authenticator, and each credential's budget. */
    public static TaskSources configuredTaskSources(TaskwatchConfig config, UnirestInstance http, Clock clock,
            MeterRegistry registry) {
        List<PolledTarget> targets = new ArrayList<>();
        Map<String, RateLimit> rateLimits = new HashMap<>();
        for (TargetConfig tc : config.targets()) {
            Target target = tc.target();
            CredentialConfig credential = config.credentialsOf(target);
            targets.add(new PolledTarget(target, tc.dialect(), Authenticators.create(
                    config.credentialsFor(tc), target.region(), target.projectId(), http, clock, registry),
                    tc.pageSize()));
            rateLimits.put(target.credentials(), credential.rateLimit());
        }
        for (String name : config.discovery().credentials()) {
            rateLimits.put(name, config.credentials().get(name).rateLimit());
        }
        return new TaskSources(targets, rateLimits);
    }

    /** The HTTP client of the task centers and IAM, closed with the assembly. */
    public UnirestInstance http() {
        return http;
    }

    /**
     * Starts reading {@code topic} from the beginning into the watch set of {@code targets}, in the background.
     * Without Kafka ({@code kafka} null: a connector without {@code kafka.bootstrap-servers}) there is no reader and
     * get-by-id targets poll no watched task.
     *
     * @return the reader, for binding its client metrics
     */
    public Optional<KafkaWatchRequests> startWatchRequests(List<PolledTarget> targets, Map<String, Object> kafka,
            Map<String, ?> serde, String topic) {
        if (watchSet != null) {
            throw new IllegalStateException("The watch requests are already read");
        }
        // with discovery the targets change while polling: keep every scope's watched ids
        watchSet = config.discovery().enabled() ? WatchSet.unscoped(metrics) : WatchSet.forTargets(targets, metrics);
        if (kafka == null) {
            LOG.warn("kafka.bootstrap-servers is not set: {} is not read; get-by-id targets poll no watched task",
                    topic);
            return Optional.empty();
        }
        KafkaWatchRequests reader = new KafkaWatchRequests(kafka, serde, topic, watchSet);
        watchRequests = reader;
        reader.start();
        return Optional.of(reader);
    }

    /**
     * Waits for the watch set (see the class comment for a slow catch-up), then builds the poller over the given
     * sinks; the caller starts it. Closing the assembly closes it.
     *
     * @param stored the positions stored before, by target name
     * @throws IllegalStateException when the watch-request reader failed
     */
    public Poller poller(TaskSources sources, SnapshotSink snapshots, PositionSink positions,
            Map<String, TargetPosition> stored) throws InterruptedException {
        if (watchSet == null) {
            throw new IllegalStateException("startWatchRequests first");
        }
        KafkaWatchRequests reader = watchRequests;
        WatchReleaser releaser = key -> { };
        if (reader != null) {
            awaitWatchSet(reader);
            releaser = reader;
        }
        poller = Poller.builder(config.poller(), sources.targets()).rateLimits(sources.rateLimits())
                .snapshots(snapshots).positions(positions, stored)
                .watch(watchSet, releaser).http(http)
                .maxResponseBytes(config.pollerNetwork().maxResponseSize())
                .metrics(metrics).clock(clock).positionLookup(positionLookup).build();
        return poller;
    }

    /**
     * Where the poller reads the stored position of a target that discovery adds after the start (the Connect task
     * reads its source offset); call before {@link #poller}. Standalone, the positions read at start are all there
     * are.
     */
    public void positionLookup(java.util.function.Function<String, TargetPosition> lookup) {
        this.positionLookup = lookup;
    }

    private void awaitWatchSet(KafkaWatchRequests reader) throws InterruptedException {
        long deadline = System.nanoTime() + WATCH_CATCH_UP.toNanos();
        while (!reader.awaitCaughtUp(Duration.ofMillis(250))) {
            Throwable failure = reader.failure();
            if (failure != null) {
                throw new IllegalStateException("Could not read the watch requests: " + failure.getMessage(),
                        failure);
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        if (reader.awaitCaughtUp(Duration.ZERO)) {
            return;
        }
        LOG.warn("Watch requests not read within {} s; polling starts, watched ids follow as they are read",
                WATCH_CATCH_UP.toSeconds());
    }

    /**
     * With a {@code discovery:} section: keeps {@code poller}'s targets in step with what discovery finds, refreshing
     * at once and then every {@code discovery.refresh-interval} on a daemon thread; every request is spent on the
     * credential's lane. Without one: nothing.
     *
     * @return the discovery, or empty when none is configured
     */
    public Optional<TargetDiscovery> startDiscovery(Poller poller, TaskSources sources) {
        if (!config.discovery().enabled()) {
            return Optional.empty();
        }
        TargetDiscovery discovery = new TargetDiscovery(config, sources.targets(),
                new dev.taskwatch.poller.TaskCenterHttp(http, config.poller().requestTimeout(),
                        config.pollerNetwork().maxResponseSize(), clock), http, clock, metrics);
        discovery.attach(poller);
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "taskwatch-discovery");
                    t.setDaemon(true);
                    return t;
                });
        long every = config.discovery().refreshInterval().toMillis();
        timer.scheduleAtFixedRate(() -> {
            try {
                discovery.refresh();
            } catch (RuntimeException e) {
                LOG.error("Discovery refresh could not be queued", e);
            }
        }, 0, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        discoveryTimer = timer;
        LOG.info("Discovery: credentials {}, regions {}, services {}, refreshed every {}",
                config.discovery().credentials(), config.discovery().regions().isEmpty() ? "all"
                        : config.discovery().regions(), config.discovery().services(),
                config.discovery().refreshInterval());
        return Optional.of(discovery);
    }

    /** Stops the poller (it flushes its sinks), the watch-request reader and the HTTP client, in this order. */
    @Override
    public void close() {
        java.util.concurrent.ScheduledExecutorService timer = discoveryTimer;
        if (timer != null) {
            timer.shutdownNow();
        }
        Poller p = poller;
        if (p != null) {
            p.close();
        }
        KafkaWatchRequests reader = watchRequests;
        if (reader != null) {
            reader.close();
        }
        http.close();
    }
}
