package dev.taskwatch.devkit.embedded;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.partition.TaskKeyPartitioner;
import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.RateLimit;
import dev.taskwatch.assembly.TaskSources;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.devkit.simulator.ResponseDelay;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.SimulatedTaskCenter;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Authenticators;
import dev.taskwatch.taskcenter.auth.Credentials;
import dev.taskwatch.model.TaskKeys;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kong.unirest.core.UnirestInstance;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in simulator as the task source of {@code taskwatch run} without targets: its targets, and a watch
 * request for every new simulated task of a get-by-id-only service (TaurusDB), as the automation that creates such
 * tasks would publish in production.
 */
final class SimulatedTaskSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatedTaskSource.class);

    /** Credential name of the built-in simulator's targets. */
    static final String CREDENTIALS = "simulator";
    /** Region of the built-in simulator's targets. */
    static final String REGION = "eu-de";

    private final Simulator simulator;
    private final long seed;
    private final Clock clock;
    private volatile Producer<TaskKey, WatchRequest> watchProducer;
    private volatile boolean closing;

    private SimulatedTaskSource(Simulator simulator, long seed, Clock clock) {
        this.simulator = simulator;
        this.seed = seed;
        this.clock = clock;
    }

    /**
     * The task the built-in simulator's schedule begins with, already running: it began this long before the epoch
     * and completes {@link #FIRST_TASK_REMAINS} after it, so that a fresh {@code run} shows STARTED within seconds
     * (the first random task arrives about 10 s after the epoch on average, 15 s for seed 42) and later its
     * PROGRESSED and COMPLETED events.
     */
    static final Duration FIRST_TASK_BEGAN = Duration.ofSeconds(20);
    static final Duration FIRST_TASK_REMAINS = Duration.ofSeconds(100);

    /** The simulator of {@code taskwatch run} without targets: lively (about 6 new tasks a minute), seeded. */
    static SimulatorSettings builtInSimulator(long seed) {
        return SimulatorSettings.defaults().withSeed(seed).withRates(6.0, Duration.ofMinutes(1), 0.1, 0.05);
    }

    /**
     * The simulator of a {@code run} with a data directory: its schedule (a pure function of the seed and of the time
     * since it began) begins at the instant kept in {@code epochFile}, written by the first start. A restarted
     * {@code run}, even after {@code kill -9}, therefore serves the same tasks in the states they would have reached
     * had it kept running; a schedule begun anew would repeat the same task ids from 0 %, which taskwatch rightly
     * ignores until they pass the progress it has already seen, so no event would come for minutes. It listens on the
     * port kept in {@code portFile} ({@link SimulatorPort}) when that is free, else on any free port, then kept there.
     */
    static SimulatedTaskSource start(long seed, Clock clock, Path epochFile, Path portFile) {
        Instant epoch = SimulatorEpoch.readOrCreate(epochFile, clock.instant());
        SimulatorSettings settings = builtInSimulator(seed);
        int kept = SimulatorPort.read(portFile);
        Simulator simulator = null;
        if (kept > 0) {
            try {
                simulator = Simulator.start(settings.withPort(kept), SimulatorEpoch.clock(clock, epoch),
                        ResponseDelay.REAL);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof BindException)) {
                    throw e;
                }
                log.info("The simulator's port {} is taken: listening on another one (the targets read their "
                        + "history again)", kept);
            }
        }
        if (simulator == null) {
            // a fresh clock: the simulator reads the epoch from the first reading, which a failed start has used
            simulator = Simulator.start(settings, SimulatorEpoch.clock(clock, epoch), ResponseDelay.REAL);
        }
        try {
            addFirstTask(simulator, epoch);
            SimulatorPort.write(portFile, simulator.port());
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
        return new SimulatedTaskSource(simulator, seed, clock);
    }

    /**
     * Adds the task running at the epoch (GeminiDB, the first project). Drawn from the seed and the epoch, so a
     * restart with the kept epoch adds the same task in the state it has reached, which taskwatch has seen.
     */
    static SimTask addFirstTask(Simulator simulator, Instant epoch) {
        return simulator.tasks().addPlannedTask(Service.GEMINIDB, simulator.settings().projects().get(0),
                epoch.minus(FIRST_TASK_BEGAN), epoch.plus(FIRST_TASK_REMAINS));
    }

    /** The simulated task centers behind the targets. */
    SimulatedTaskCenter tasks() {
        return simulator.tasks();
    }

    /** The port its targets' endpoints name. */
    int port() {
        return simulator.port();
    }

    TaskSources taskSources(UnirestInstance http, List<String> banner) {
        Credentials.StaticToken token = simulator.credentials(CREDENTIALS);
        List<PolledTarget> targets = new ArrayList<>();
        for (Target target : simulator.targets(REGION, CREDENTIALS, Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofDays(1))) {
            targets.add(new PolledTarget(target, Dialects.of(target.service()),
                    Authenticators.create(token, target.region(), target.projectId(), http, clock)));
        }
        banner.add("Task source:     built-in simulator at http://127.0.0.1:" + simulator.port()
                + " (seed " + seed + "; configure targets to poll a real task center)");
        return new TaskSources(targets, Map.of(CREDENTIALS, new RateLimit(20.0)));
    }

    /** Starts publishing a watch request for every new simulated task that only get-by-id can follow. */
    void publishWatchRequests(Map<String, Object> kafka, Map<String, Object> serde, Topics topics) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "taskwatch-simulator-watch");
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, TaskKeyPartitioner.class.getName());
        watchProducer = new KafkaProducer<>(props, AvroSerdes.specific(TaskKey.class, serde, true).serializer(),
                AvroSerdes.specific(WatchRequest.class, serde, false).serializer());
        simulator.tasks().onTaskCreated(task -> {
            if (Dialects.of(task.service()).listing().isEmpty() && !closing) {
                publishWatch(task, topics);
            }
        });
    }

    private void publishWatch(SimTask task, Topics topics) {
        TaskKey key = TaskKeys.of(task.service().id(), REGION, task.projectId(), task.id());
        WatchRequest request = WatchRequest.newBuilder().setService(key.getService()).setRegion(key.getRegion())
                .setProjectId(key.getProjectId()).setTaskId(key.getTaskId()).setRequestedAt(clock.instant())
                .setRequestedBy("simulator").setEndpoint(null).build();
        watchProducer.send(new ProducerRecord<>(topics.watchRequests(), key, request), (md, e) -> {
            if (e != null) {
                log.error("Could not publish the watch request for simulated task {}: {}", key, e.toString());
            }
        });
    }

    @Override
    public void close() {
        closing = true;
        try {
            simulator.close();
        } finally {
            Producer<TaskKey, WatchRequest> p = watchProducer;
            if (p != null) {
                p.close(Duration.ofSeconds(5));
            }
        }
    }
}
