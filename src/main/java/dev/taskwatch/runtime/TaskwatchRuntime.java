package dev.taskwatch.runtime;

import dev.taskwatch.model.Topics;
import dev.taskwatch.Urls;
import dev.taskwatch.assembly.PollerAssembly;
import dev.taskwatch.assembly.TaskSources;
import dev.taskwatch.config.ConfigException;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.poller.KafkaPositionStore;
import dev.taskwatch.poller.KafkaSnapshotSink;
import dev.taskwatch.poller.KafkaWatchRequests;
import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.Poller;
import dev.taskwatch.poller.TargetPosition;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.serde.SchemaRegistryClient;
import dev.taskwatch.notify.Notifier;
import dev.taskwatch.transitions.StaticMembership;
import dev.taskwatch.transitions.TransitionSettings;
import dev.taskwatch.transitions.TransitionStreamsConfig;
import dev.taskwatch.transitions.TransitionTopology;
import dev.taskwatch.transitions.TransitionsApp;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a taskwatch process from a {@link TaskwatchConfig} and the {@link Environment} it runs against: {@code run}
 * (both roles), {@code poll} and {@code transitions} (one role each). {@link #start()} brings the components up in
 * dependency order; {@link #close()} takes them down in reverse within a bounded time; {@link #awaitStop()} blocks
 * until a stop is requested or a component fails.
 *
 * <p>Start order: ops HTTP server (so a taken port fails before anything heavy starts), environment (Kafka, registry),
 * topics, event printer (positioned before anything can emit), transitions, watch-request reader, poller. The poller
 * does not wait for the transitions to be RUNNING: snapshots are durable in Kafka once written, and a restarted
 * transitions application may wait for a rebalance that the poller has no reason to sit out; readiness reports both.
 * Stop order: poller (flushes its producer), watch reader, transitions (commits, leaves the group), event printer, ops
 * server, metrics, environment last.
 */
public final class TaskwatchRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskwatchRuntime.class);

    /** What a process does. */
    /** NOTIFY runs only when {@code notify.rules} is not empty. */
    public enum Role { POLLER, TRANSITIONS, NOTIFY }

    /**
     * @param roles       which roles run in this process
     * @param printEvents events printed to {@code out}, or null for none
     * @param out         where events go (stdout)
     * @param err         where the banner goes (stderr)
     */
    public record Options(Set<Role> roles, EventFormat printEvents, PrintStream out, PrintStream err) {
        public Options {
            roles = Set.copyOf(roles);
            if (roles.isEmpty()) {
                throw new IllegalArgumentException("At least one role");
            }
        }
    }

    private final TaskwatchConfig config;
    private final Environment environment;
    private final Options options;
    private final Clock clock = Clock.systemUTC();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final List<String> banner = new ArrayList<>();
    private final Object closeLock = new Object();

    private volatile OpsMetrics metrics;
    private volatile OpsServer ops;
    private volatile EventPrinter printer;
    private volatile TransitionsApp transitions;
    private volatile Notifier notifier;
    private volatile KafkaWatchRequests watchRequests;
    private volatile Poller poller;
    private volatile KafkaPositionStore positions;
    private volatile PollerAssembly pollerAssembly;
    private volatile KafkaSnapshotSink sink;
    private volatile TargetTrouble targetTrouble = new TargetTrouble(Instant.now(),
            TargetTrouble.DEFAULT_UNHEALTHY_AFTER);
    private volatile boolean closing;
    private boolean started;
    private boolean closed;

    public TaskwatchRuntime(TaskwatchConfig config, Environment environment, Options options) {
        this.config = config;
        this.environment = environment;
        this.options = options;
    }

    /** A production process: Kafka, registry and targets exactly as configured. */
    public static TaskwatchRuntime configured(TaskwatchConfig config, Options options) {
        return new TaskwatchRuntime(config, new ConfiguredEnvironment(config), options);
    }

    /**
     * Starts every component of the configured roles; on any failure stops what was started and rethrows.
     *
     * @throws ConfigException when the ops port is taken
     */
    public void start() throws InterruptedException {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("Already started");
            }
            started = true;
        }
        try {
            start0();
        } catch (InterruptedException | RuntimeException | Error e) {
            boolean stoppedWhileStarting = closing;
            close();
            if (stoppedWhileStarting) {
                throw new IllegalStateException("Stopped while starting", e);
            }
            throw e;
        }
    }

    /** A stop (SIGTERM during start) ends the start between two components rather than after all of them. */
    private void checkNotClosing() {
        if (closing) {
            throw new IllegalStateException("Stopped while starting");
        }
    }

    private void start0() throws InterruptedException {
        long startedAt = System.nanoTime();
        metrics = new OpsMetrics().bindJvm();
        startOps();
        environment.start(banner);
        checkNotClosing();
        String bootstrap = environment.bootstrapServers();
        Map<String, Object> serde = environment.serdeConfig();
        Map<String, Object> kafka = config.kafka().clientProperties(bootstrap);
        Topics topics = config.topics().names();
        createTopics(kafka, topics);

        if (options.printEvents() != null) {
            startPrinter(kafka, serde, topics);
        }
        checkNotClosing();
        if (options.roles().contains(Role.TRANSITIONS)) {
            startTransitions(bootstrap, serde, topics);
        }
        checkNotClosing();
        if (options.roles().contains(Role.NOTIFY) && config.notifications().rules().size() > 0) {
            notifier = new Notifier(config.notifications(), kafka, serde, topics, metrics.registry()).start();
            banner.add("Notify:          " + config.notifications().rules().size() + " rule(s), group "
                    + config.notifications().groupId());
        }
        checkNotClosing();
        if (options.roles().contains(Role.POLLER)) {
            startPoller(kafka, serde, topics);
            environment.pollerStarted(kafka, topics);
        }
        banner.add("Topics:          " + topics.prefix() + "* (events on " + topics.events() + ")");
        banner.add("Ops HTTP:        " + (ops == null ? "disabled (http.port 0)"
                : "http://localhost:" + ops.port() + "/health/ready, /metrics"));
        printBanner();
        // the components are up; the first events follow once Streams is RUNNING and the poller's first cycles end
        log.info("taskwatch started in {} ms, {} ms after the JVM started", (System.nanoTime() - startedAt) / 1_000_000,
                JvmUptime.millis());
    }

    private void startOps() {
        int port = config.http().port();
        try {
            ops = OpsServer.startOnConfiguredPort(config.http().host(), port, metrics.registry(), this::readiness)
                    .orElse(null);
        } catch (IOException e) {
            boolean inUse = e.getCause() instanceof BindException;
            throw new ConfigException("http.port: cannot listen on port " + port + (inUse ? " (already in use)"
                    : " (" + e.getMessage() + ")") + ": set http.port (or TASKWATCH_HTTP_PORT) to a free port, or 0 "
                    + "to disable the ops server");
        }
    }

    /**
     * Ready when Streams is RUNNING (transitions role), every poller target has settled (poller role), the schema
     * registry's last answer was normal and the poller can publish.
     */
    Readiness readiness() {
        Readiness base = RuntimeHealth.readiness(options.roles(), transitions, poller);
        Poller p = poller;
        List<String> reasons = new ArrayList<>(base.reasons());
        if (p != null) {
            reasons.addAll(targetTrouble.reasons(p.health(), clock.instant()));
        }
        KafkaSnapshotSink s = sink;
        if (s != null && p != null) {
            s.trouble().ifPresent(reasons::add);
        }
        Notifier n = notifier;
        if (n != null) {
            n.trouble().ifPresent(reasons::add);
        }
        SchemaRegistryClient registry = registry();
        if (registry != null) {
            registry.problem().filter(problem -> reasons.stream().noneMatch(r -> r.contains(problem)))
                    .ifPresent(reasons::add);
        }
        return reasons.isEmpty() ? Readiness.up() : new Readiness(false, reasons);
    }

    /** The registry client every serde of this process shares, or null before the environment started. */
    private SchemaRegistryClient registry() {
        try {
            return registryClient(environment.serdeConfig());
        } catch (RuntimeException notStarted) {
            return null;
        }
    }

    private static SchemaRegistryClient registryClient(Map<String, Object> serde) {
        // the map, not an AvroSerdeConfig: readiness is polled, and a config object logs all its values when made
        return serde != null && serde.get(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT) instanceof SchemaRegistryClient c
                ? c : null;
    }

    private void createTopics(Map<String, Object> kafka, Topics topics) {
        if (!config.topics().create()) {
            log.info("topics.create is false: checking that the topics {}* exist", topics.prefix());
            new TopicAdmin(kafka, TopicAdmin.Settings.defaults()).requireExisting(topics);
            return;
        }
        TopicAdmin.Settings settings = TopicAdmin.Settings.defaults().withPartitions(config.topics().partitions(),
                (short) config.topics().replicationFactor());
        new TopicAdmin(kafka, settings).createMissing(topics); // logs what it created
    }

    private void startPrinter(Map<String, Object> kafka, Map<String, Object> serde, Topics topics)
            throws InterruptedException {
        printer = EventPrinter.builder(kafka, serde, topics.events()).format(options.printEvents())
                .out(options.out()).fromCommitted(config.transitions().applicationId() + "-printer").build()
                .start();
        if (!printer.awaitPositioned(Duration.ofSeconds(60))) {
            throw printer.failure().map(f -> (RuntimeException) new IllegalStateException(
                    "The event printer could not start: " + f.getMessage(), f)).orElseGet(() ->
                    new IllegalStateException("The event printer did not start within 60 s"));
        }
    }

    private void startTransitions(String bootstrap, Map<String, Object> serde, Topics topics) {
        TransitionSettings t = config.transitions();
        Path stateDir = t.stateDir() != null ? t.stateDir() : environment.defaultStateDir();
        // Only the embedded environment has a default state dir: its data dir, private to one `run` (StaticMembership).
        TransitionSettings settings = t.withStateDir(stateDir).withGroupInstanceId(
                StaticMembership.groupInstanceId(t.groupInstanceId(), environment.defaultStateDir()));
        TransitionsApp app = new TransitionsApp(
                TransitionStreamsConfig.properties(bootstrap, settings, config.kafka().properties()),
                TransitionTopology.build(topics, settings, serde, metrics.registry()), registryClient(serde));
        metrics.bind(app.streams(), "transitions");
        transitions = app;
        app.start(); // not awaited: see the class comment; a failure surfaces through failure()
        banner.add("Transitions:     " + settings.applicationId() + ", " + settings.processingGuarantee()
                + (stateDir == null ? "" : ", state in " + stateDir)
                + (settings.groupInstanceId() == null ? "" : ", static member " + settings.groupInstanceId()));
    }

    private void startPoller(Map<String, Object> kafka, Map<String, Object> serde, Topics topics)
            throws InterruptedException {
        PollerAssembly assembly = new PollerAssembly(config, metrics.registry(), clock);
        pollerAssembly = assembly;
        TaskSources sources = environment.taskSources(assembly.http(), clock, banner, metrics.registry());
        for (PolledTarget t : sources.targets()) {
            banner.add("Target:          " + t.target().name() + " " + Urls.redact(t.target().endpoint())
                    + (t.dialect().listing().isPresent() ? "" : " (get-by-id: polls watched tasks only)"));
        }
        if (config.discovery().enabled()) {
            banner.add("Discovery:       projects of " + String.join(", ", config.discovery().credentials())
                    + ", refreshed every " + config.discovery().refreshInterval());
        }
        watchRequests = assembly.startWatchRequests(sources.targets(), kafka, serde, topics.watchRequests())
                .orElseThrow();
        metrics.bind(watchRequests.consumer(), "poller-watch").bind(watchRequests.producer(), "poller-watch");
        // The watch-request reader catches up on its own thread while this one makes the snapshot producer and reads
        // the stored positions: two independent reads from the start of a topic, side by side rather than in turn.
        KafkaSnapshotSink sink = new KafkaSnapshotSink(kafka, serde, topics);
        this.sink = sink;
        metrics.bind(sink.producer(), "poller");
        positions = new KafkaPositionStore(kafka, topics.pollerPositions());
        Map<String, TargetPosition> stored = positions.readAll(Duration.ofSeconds(60));
        poller = assembly.poller(sources, sink, positions, stored);
        targetTrouble = new TargetTrouble(clock.instant(), config.pollerNetwork().unhealthyAfter());
        poller.start();
        assembly.startDiscovery(poller, sources);
    }

    private void printBanner() {
        PrintStream err = options.err();
        err.println("taskwatch " + options.roles().stream().map(r -> r.name().toLowerCase()).sorted().toList()
                + " started:");
        banner.forEach(line -> err.println("  " + line));
        err.flush();
    }

    /** Asks {@link #awaitStop()} to return (from a shutdown hook or any thread). */
    public void requestStop() {
        stopRequested.countDown();
    }

    /**
     * Blocks until {@link #requestStop()} or until a component fails.
     *
     * @return the fatal failure, or empty when a stop was requested
     */
    public Optional<RuntimeException> awaitStop() throws InterruptedException {
        while (!stopRequested.await(250, TimeUnit.MILLISECONDS)) {
            Optional<RuntimeException> failure = failure();
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    /** The first fatal component failure, if any: poller stopped, transitions failed, watch reader or printer died. */
    public Optional<RuntimeException> failure() {
        Optional<RuntimeException> failure = RuntimeHealth.failure(poller, transitions, watchRequests, printer);
        Notifier n = notifier;
        if (failure.isEmpty() && n != null && n.failure().isPresent()) {
            Throwable f = n.failure().get();
            return Optional.of(new IllegalStateException("Notify failed: " + f.getMessage(), f));
        }
        return failure;
    }

    /** Stops everything that was started, in reverse dependency order, each step bounded. Idempotent. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closing = true;
            stopRequested.countDown();
            ShutdownSteps steps = new ShutdownSteps();
            // the poller, then the watch-request reader and the task centers' HTTP client
            steps.step("poller", pollerAssembly, PollerAssembly::close);
            steps.step("poller positions", positions, KafkaPositionStore::close);
            steps.step("notify", notifier, Notifier::close);
            steps.step("transitions", transitions, t -> t.close(Duration.ofSeconds(20)));
            steps.step("event printer", printer, EventPrinter::close);
            steps.step("ops server", ops, OpsServer::close);
            steps.step("metrics", metrics, OpsMetrics::close);
            steps.step("environment", environment, Environment::close);
            closed = true;
            if (steps.problems() == 0) {
                log.info("taskwatch stopped cleanly");
            } else {
                log.warn("taskwatch stopped with {} problems while closing", steps.problems());
            }
        }
    }

    /** The transitions application, null before it starts or without the role (tests look at its threads). */
    TransitionsApp transitionsForTests() {
        return transitions;
    }

    /** The roles of {@code run}. */
    public static Set<Role> allRoles() {
        return EnumSet.allOf(Role.class);
    }
}
