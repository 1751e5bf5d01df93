package dev.taskwatch.runtime;

import dev.taskwatch.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.config.ConfigException;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.config.TaskwatchConfig.CredentialConfig;
import dev.taskwatch.config.TaskwatchConfig.TargetConfig;
import dev.taskwatch.poller.KafkaSnapshotSink;
import dev.taskwatch.poller.KafkaWatchRequests;
import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.Poller;
import dev.taskwatch.poller.PollerSettings;
import dev.taskwatch.poller.RateLimit;
import dev.taskwatch.poller.TargetHealth;
import dev.taskwatch.poller.WatchSet;
import dev.taskwatch.serde.AvroSchemas;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.serde.InProcessSchemaRegistry;
import dev.taskwatch.serde.SubjectNames;
import dev.taskwatch.simulator.SimTask;
import dev.taskwatch.simulator.Simulator;
import dev.taskwatch.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Authenticators;
import dev.taskwatch.taskcenter.auth.Credentials;
import dev.taskwatch.transitions.TransitionSettings;
import dev.taskwatch.transitions.TransitionStreamsConfig;
import dev.taskwatch.transitions.TransitionTopology;
import dev.taskwatch.transitions.TransitionsApp;
import dev.taskwatch.transitions.TransitionsFailedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestInstance;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that assembles a taskwatch process from a {@link TaskwatchConfig}: {@code run} (both roles, embedded
 * broker / registry / simulator where nothing is configured), {@code poll} and {@code transitions} (one role each,
 * nothing embedded). {@link #start()} brings the components up in dependency order; {@link #close()} takes them down
 * in reverse within a bounded time; {@link #awaitStop()} blocks until a stop is requested or a component fails.
 *
 * <p>Start order: ops HTTP server (so a taken port fails before anything heavy starts), embedded broker, registry,
 * topics, event printer (positioned before anything can emit), transitions, watch-request reader, poller, simulator
 * hook. Stop order: poller (flushes its producer), simulator, watch reader, transitions (commits, leaves the group),
 * event printer, ops server, metrics, embedded broker last.
 */
public final class TaskwatchRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskwatchRuntime.class);

    /** The in-process registry scope of embedded mode; its journal lives in the data directory. */
    public static final String EMBEDDED_REGISTRY_SCOPE = "taskwatch-embedded";
    /** File in the data directory holding the embedded broker's {@code host:port} while {@code run} runs. */
    public static final String BOOTSTRAP_FILE = "bootstrap-servers";
    /** File in the data directory with the embedded registry's journal (schema ids survive restarts). */
    public static final String SCHEMA_JOURNAL = "schemas.jsonl";
    /** Credential name of the built-in simulator's targets. */
    public static final String SIMULATOR_CREDENTIALS = "simulator";
    /** Region of the built-in simulator's targets. */
    public static final String SIMULATOR_REGION = "eu-de";

    /** What a process does. */
    public enum Role { POLLER, TRANSITIONS }

    /**
     * @param roles         which roles run in this process
     * @param dataDir       data directory of embedded mode and default Streams state, or null (poll, transitions)
     * @param printEvents   events printed to {@code out}, or null for none
     * @param simulatorSeed seed of the built-in simulator's random schedule
     * @param out           where events go (stdout)
     * @param err           where the banner goes (stderr)
     */
    public record Options(Set<Role> roles, Path dataDir, EventFormat printEvents, long simulatorSeed,
            PrintStream out, PrintStream err) {
        public Options {
            roles = Set.copyOf(roles);
        }

        public boolean embeddingAllowed() {
            return dataDir != null;
        }
    }

    private final TaskwatchConfig config;
    private final Options options;
    private final Clock clock = Clock.systemUTC();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<String> banner = new ArrayList<>();
    private final Object closeLock = new Object();

    private volatile OpsMetrics metrics;
    private volatile OpsServer ops;
    private volatile EmbeddedKafka embeddedKafka;
    private volatile EventPrinter printer;
    private volatile TransitionsApp transitions;
    private volatile KafkaWatchRequests watchRequests;
    private volatile Poller poller;
    private volatile Simulator simulator;
    private volatile Producer<TaskKey, WatchRequest> simulatorWatchProducer;
    private volatile UnirestInstance unirest;
    private volatile boolean closing;
    private boolean started;

    public TaskwatchRuntime(TaskwatchConfig config, Options options) {
        this.config = config;
        this.options = options;
        if (options.roles().isEmpty()) {
            throw new IllegalArgumentException("At least one role");
        }
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
        metrics = new OpsMetrics().bindJvm();
        startOps();

        String bootstrap = config.kafka().bootstrapServers();
        if (bootstrap == null) {
            requireEmbedding("kafka.bootstrap-servers");
            Path kafkaDir = options.dataDir().resolve("kafka");
            createDirectories(kafkaDir);
            embeddedKafka = EmbeddedKafka.start(kafkaDir);
            bootstrap = embeddedKafka.bootstrapServers();
            writeBootstrapFile(bootstrap);
            banner.add("Kafka:           embedded broker at " + bootstrap + " (data in " + kafkaDir + ")");
        } else {
            banner.add("Kafka:           " + bootstrap);
        }
        checkNotClosing();
        Map<String, Object> serde = serdeConfig();
        Map<String, Object> kafka = config.kafka().clientProperties(bootstrap);
        Topics topics = config.topics().names();
        createTopics(kafka, topics);

        if (options.printEvents() != null) {
            printer = EventPrinter.builder(kafka, serde, topics.events()).format(options.printEvents())
                    .out(options.out()).fromCommitted(config.transitions().applicationId() + "-printer").build()
                    .start();
            if (!printer.awaitPositioned(Duration.ofSeconds(60))) {
                throw printer.failure().map(f -> (RuntimeException) new IllegalStateException(
                        "The event printer could not start: " + f.getMessage(), f)).orElseGet(() ->
                        new IllegalStateException("The event printer did not start within 60 s"));
            }
        }
        checkNotClosing();
        if (options.roles().contains(Role.TRANSITIONS)) {
            startTransitions(bootstrap, serde, topics);
        }
        checkNotClosing();
        if (options.roles().contains(Role.POLLER)) {
            startPoller(kafka, serde, topics);
        }
        banner.add("Topics:          " + topics.prefix() + "* (events on " + topics.events() + ")");
        banner.add("Ops HTTP:        " + (ops == null ? "disabled (http.port 0)"
                : "http://localhost:" + ops.port() + "/health/ready, /metrics"));
        if (options.dataDir() != null) {
            banner.add("Data dir:        " + options.dataDir().toAbsolutePath().normalize());
        }
        printBanner();
    }

    private void requireEmbedding(String key) {
        if (!options.embeddingAllowed()) {
            throw new ConfigException(key + ": required by this command (it starts nothing embedded); use "
                    + "`taskwatch run` for the embedded default");
        }
    }

    private void startOps() {
        int port = config.http().port();
        try {
            ops = OpsServer.startOnConfiguredPort(port, metrics.registry(), this::readiness).orElse(null);
        } catch (IOException e) {
            boolean inUse = e.getCause() instanceof BindException;
            throw new ConfigException("http.port: cannot listen on port " + port + (inUse ? " (already in use)"
                    : " (" + e.getMessage() + ")") + ": set http.port (or TASKWATCH_HTTP_PORT) to a free port, or 0 "
                    + "to disable the ops server");
        }
    }

    /** Ready when Streams is RUNNING (transitions role) and every poller target has settled (poller role). */
    Readiness readiness() {
        List<String> reasons = new ArrayList<>();
        if (options.roles().contains(Role.TRANSITIONS)) {
            TransitionsApp app = transitions;
            if (app == null) {
                reasons.add("transitions not started yet");
            } else {
                reasons.addAll(ReadinessCheck.streamsRunning(app.streams()).check().reasons());
            }
        }
        if (options.roles().contains(Role.POLLER)) {
            Poller p = poller;
            if (p == null) {
                reasons.add("poller not started yet");
            } else {
                for (TargetHealth h : p.health()) {
                    if (!h.settled()) {
                        reasons.add("target " + h.target() + " has not finished its first poll cycle");
                    }
                }
                p.failure().ifPresent(f -> reasons.add("poller stopped: " + f.getMessage()));
            }
        }
        return reasons.isEmpty() ? Readiness.up() : new Readiness(false, reasons);
    }

    private Map<String, Object> serdeConfig() {
        if (config.schemaRegistryConfigured()) {
            banner.add("Schema registry: " + config.schemaRegistry().url());
            return config.schemaRegistry().serdeConfig(null);
        }
        requireEmbedding("schema-registry.url");
        Path journal = options.dataDir().resolve(SCHEMA_JOURNAL);
        InProcessSchemaRegistry registry = InProcessSchemaRegistry.persistentScope(EMBEDDED_REGISTRY_SCOPE, journal);
        preRegister(registry, config.topics().names());
        banner.add("Schema registry: in-process (ids kept in " + journal + ")");
        return config.schemaRegistry().serdeConfig("mock://" + EMBEDDED_REGISTRY_SCOPE);
    }

    /**
     * Registers every schema taskwatch writes at start, so that the journal is complete before any other process
     * ({@code taskwatch watch}, {@code taskwatch events}) replays it: they then only read it, never append.
     */
    static void preRegister(InProcessSchemaRegistry registry, Topics topics) {
        Map<String, Schema> values = new LinkedHashMap<>();
        values.put(topics.snapshots(), TaskSnapshot.getClassSchema());
        values.put(topics.events(), TaskEvent.getClassSchema());
        for (var type : Topics.PER_TYPE) {
            values.put(topics.eventsOf(type), TaskEvent.getClassSchema());
        }
        values.put(topics.watchRequests(), WatchRequest.getClassSchema());
        Schema key = AvroSchemas.withoutJavaProperties(TaskKey.getClassSchema());
        values.forEach((topic, value) -> {
            registry.register(SubjectNames.topicNameStrategy(topic, true), key);
            registry.register(SubjectNames.topicNameStrategy(topic, false), AvroSchemas.withoutJavaProperties(value));
        });
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

    private void startTransitions(String bootstrap, Map<String, Object> serde, Topics topics)
            throws InterruptedException {
        TransitionSettings t = config.transitions();
        Path stateDir = t.stateDir() != null ? t.stateDir()
                : options.dataDir() != null ? options.dataDir().resolve("streams") : null;
        TransitionSettings settings = t.withStateDir(stateDir);
        TransitionsApp app = new TransitionsApp(
                TransitionStreamsConfig.properties(bootstrap, settings, config.kafka().properties()),
                TransitionTopology.build(topics, settings, serde, metrics.registry()));
        metrics.bind(app.streams(), "transitions");
        transitions = app;
        app.start();
        if (!app.awaitReady(Duration.ofSeconds(120))) {
            Throwable failure = app.failure().orElse(null);
            throw new TransitionsFailedException("The transitions application did not reach RUNNING within 120 s"
                    + " (state " + app.state() + (failure == null ? "" : ": " + failure.getMessage()) + ")",
                    failure);
        }
        banner.add("Transitions:     " + settings.applicationId() + ", " + settings.processingGuarantee()
                + (stateDir == null ? "" : ", state in " + stateDir));
    }

    private void startPoller(Map<String, Object> kafka, Map<String, Object> serde, Topics topics)
            throws InterruptedException {
        unirest = Unirest.spawnInstance();
        unirest.config().connectTimeout(5_000);
        List<PolledTarget> targets = new ArrayList<>();
        Map<String, RateLimit> rateLimits = new HashMap<>();
        if (config.targetsConfigured()) {
            for (TargetConfig tc : config.targets()) {
                Target target = tc.target();
                CredentialConfig credential = config.credentialsOf(target);
                targets.add(new PolledTarget(target, Dialects.of(target.service()), Authenticators.create(
                        credential.credentials(), target.region(), target.projectId(), unirest, clock),
                        tc.pageSize()));
                rateLimits.put(target.credentials(), new RateLimit(credential.requestsPerSecond()));
            }
        } else {
            requireEmbedding("targets");
            simulator = Simulator.start(builtInSimulator(options.simulatorSeed()));
            Credentials.StaticToken token = simulator.credentials(SIMULATOR_CREDENTIALS);
            for (Target target : simulator.targets(SIMULATOR_REGION, SIMULATOR_CREDENTIALS, Duration.ofSeconds(5),
                    Duration.ofSeconds(2), Duration.ofDays(1))) {
                targets.add(new PolledTarget(target, Dialects.of(target.service()),
                        Authenticators.create(token, target.region(), target.projectId(), unirest, clock)));
            }
            rateLimits.put(SIMULATOR_CREDENTIALS, new RateLimit(20.0));
            banner.add("Task source:     built-in simulator at http://127.0.0.1:" + simulator.port()
                    + " (seed " + options.simulatorSeed() + "; configure targets to poll a real task center)");
        }
        for (PolledTarget t : targets) {
            banner.add("Target:          " + t.target().name() + " " + t.target().endpoint()
                    + (t.dialect().supportsListing() ? "" : " (get-by-id: polls watched tasks only)"));
        }
        PollerSettings settings = config.poller();
        WatchSet watchSet = WatchSet.forTargets(targets, metrics.registry());
        watchRequests = new KafkaWatchRequests(kafka, serde, topics.watchRequests(), watchSet);
        watchRequests.start();
        if (!watchRequests.awaitCaughtUp(Duration.ofSeconds(60))) {
            Exception failure = watchRequests.failure();
            throw new IllegalStateException("Could not read the watch requests of " + topics.watchRequests()
                    + " within 60 s" + (failure == null ? "" : ": " + failure.getMessage()), failure);
        }
        Producer<TaskKey, TaskSnapshot> snapshots = new KafkaProducer<>(snapshotProducerConfig(kafka),
                AvroSerdes.specific(TaskKey.class, serde, true).serializer(),
                AvroSerdes.specific(TaskSnapshot.class, serde, false).serializer());
        metrics.bind(snapshots, "poller");
        poller = new Poller(settings, targets, rateLimits, new KafkaSnapshotSink(snapshots, topics.snapshots()),
                watchSet, watchRequests, unirest, metrics.registry(), clock);
        poller.start();
        if (simulator != null) {
            watchSimulatedGetByIdTasks(kafka, serde, topics);
        }
    }

    /** The simulator of {@code taskwatch run} without targets: lively (about 6 new tasks a minute), seeded. */
    public static SimulatorSettings builtInSimulator(long seed) {
        return SimulatorSettings.defaults().withSeed(seed).withRates(6.0, Duration.ofMinutes(1), 0.1, 0.05);
    }

    /**
     * Publishes a watch request for every new simulated task of a get-by-id-only service (TaurusDB), as the
     * automation that creates such tasks would in production.
     */
    private void watchSimulatedGetByIdTasks(Map<String, Object> kafka, Map<String, Object> serde, Topics topics) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-simulator-watch");
        simulatorWatchProducer = new KafkaProducer<>(props,
                AvroSerdes.specific(TaskKey.class, serde, true).serializer(),
                AvroSerdes.specific(WatchRequest.class, serde, false).serializer());
        simulator.tasks().onTaskCreated(task -> {
            if (!Dialects.of(task.service()).supportsListing() && !closing) {
                publishWatch(task, topics);
            }
        });
    }

    private void publishWatch(SimTask task, Topics topics) {
        TaskKey key = TaskKey.newBuilder().setService(task.service().id()).setRegion(SIMULATOR_REGION)
                .setProjectId(task.projectId()).setTaskId(task.id()).build();
        WatchRequest request = WatchRequest.newBuilder().setService(key.getService()).setRegion(key.getRegion())
                .setProjectId(key.getProjectId()).setTaskId(key.getTaskId()).setRequestedAt(clock.instant())
                .setRequestedBy("simulator").setEndpoint(null).build();
        simulatorWatchProducer.send(new ProducerRecord<>(topics.watchRequests(), key, request), (md, e) -> {
            if (e != null) {
                log.error("Could not publish the watch request for simulated task {}: {}", key, e.toString());
            }
        });
    }

    private static Map<String, Object> snapshotProducerConfig(Map<String, Object> kafka) {
        Map<String, Object> props = new HashMap<>(kafka);
        // no duplicates from producer retries and nothing lost on a leader change (as KafkaSnapshotSink does)
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-poller");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        return props;
    }

    private void writeBootstrapFile(String bootstrap) {
        try {
            Files.writeString(options.dataDir().resolve(BOOTSTRAP_FILE), bootstrap + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + options.dataDir().resolve(BOOTSTRAP_FILE), e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dir, e);
        }
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
        Poller p = poller;
        if (p != null && p.failure().isPresent()) {
            return Optional.of(p.failure().get());
        }
        TransitionsApp app = transitions;
        if (app != null) {
            if (app.failure().isPresent()) {
                Throwable f = app.failure().get();
                return Optional.of(new TransitionsFailedException("The transitions application failed: "
                        + f.getMessage(), f));
            }
            KafkaStreams.State state = app.state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                return Optional.of(new TransitionsFailedException("The transitions application stopped (state "
                        + state + ")", null));
            }
        }
        KafkaWatchRequests w = watchRequests;
        if (w != null && w.failure() != null) {
            return Optional.of(new IllegalStateException("Reading watch requests failed: "
                    + w.failure().getMessage(), w.failure()));
        }
        EventPrinter pr = printer;
        if (pr != null && pr.failure().isPresent()) {
            Throwable f = pr.failure().get();
            return Optional.of(new IllegalStateException("The event printer failed: " + f.getMessage(), f));
        }
        return Optional.empty();
    }

    /** Waits until {@link #close()} has finished (for a shutdown hook that did not call it itself). */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The port of the ops server, if it runs. */
    public Optional<Integer> opsPort() {
        return Optional.ofNullable(ops).map(OpsServer::port);
    }

    /** Stops everything that was started, in reverse dependency order, each step bounded. Idempotent. */
    @Override
    public void close() {
        synchronized (closeLock) {
            close0();
        }
    }

    private void close0() {
        if (closed.getCount() == 0) {
            return;
        }
        closing = true;
        stopRequested.countDown();
        List<Throwable> problems = new ArrayList<>();
        step(problems, "poller", poller, Poller::close);
        step(problems, "simulator", simulator, Simulator::close);
        step(problems, "simulator watch producer", simulatorWatchProducer, p -> p.close(Duration.ofSeconds(5)));
        step(problems, "watch-request reader", watchRequests, KafkaWatchRequests::close);
        step(problems, "transitions", transitions, t -> t.close(Duration.ofSeconds(20)));
        step(problems, "event printer", printer, EventPrinter::close);
        step(problems, "ops server", ops, OpsServer::close);
        step(problems, "metrics", metrics, OpsMetrics::close);
        step(problems, "HTTP client", unirest, UnirestInstance::close);
        step(problems, "embedded Kafka", embeddedKafka, EmbeddedKafka::close);
        if (embeddedKafka != null) {
            try {
                Files.deleteIfExists(options.dataDir().resolve(BOOTSTRAP_FILE));
            } catch (IOException e) {
                problems.add(e);
            }
        }
        closed.countDown();
        if (problems.isEmpty()) {
            log.info("taskwatch stopped cleanly");
        } else {
            log.warn("taskwatch stopped with {} problems while closing", problems.size());
        }
    }

    private interface Closer<T> {
        void close(T component) throws Exception;
    }

    private static <T> void step(List<Throwable> problems, String name, T component, Closer<T> closer) {
        if (component == null) {
            return;
        }
        try {
            closer.close(component);
        } catch (Exception | Error e) {
            problems.add(e);
            log.warn("Stopping the {} failed: {}", name, e.toString(), e);
        }
    }

    /** The roles of {@code run}. */
    public static Set<Role> allRoles() {
        return EnumSet.allOf(Role.class);
    }
}
