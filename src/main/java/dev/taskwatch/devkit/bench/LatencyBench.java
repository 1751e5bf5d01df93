package dev.taskwatch.devkit.bench;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.poller.KafkaSnapshotSink;
import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.Poller;
import dev.taskwatch.poller.PollerSettings;
import dev.taskwatch.poller.RateLimit;
import dev.taskwatch.poller.WatchSet;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.StaticTokenAuthenticator;
import dev.taskwatch.transitions.TransitionSettings;
import dev.taskwatch.transitions.TransitionStreamsConfig;
import dev.taskwatch.transitions.TransitionTopology;
import dev.taskwatch.transitions.TransitionsApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Benchmark 4: the whole pipeline running as in production (poller with its default jitter publishing to Kafka,
 * transitions under exactly-once with Kafka's default commit interval of 100 ms), while the script completes tasks of
 * the simulator at random moments. Latency of one transition = arrival of its COMPLETED event at a read_committed
 * consumer of the event topic (wall clock on arrival) minus the moment the simulator changed the task. One task stays
 * running throughout, so the poller is on its fast interval, as it is whenever something runs.
 */
final class LatencyBench implements AutoCloseable {

    static final Service SERVICE = Service.OPENGAUSS;
    /** Kafka Streams' default commit.interval.ms under exactly-once, which taskwatch keeps. */
    static final Duration EOS_COMMIT_INTERVAL = Duration.ofMillis(100);

    private final BenchKafka kafka;
    private final BenchSize size;
    private final Topics topics;
    private final Simulator simulator;
    private final String project;
    private final UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(2000));
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
    private final Path stateDir;
    private final Random random = new Random(7);
    private Poller poller;
    private TransitionsApp app;
    private Thread consumerThread;

    /**
     * @param apiDelay added by the simulator to every answer (0 for the pipeline's own floor; tens of milliseconds for
     *                 a task center across a network, whose pages take that long to answer)
     */
    LatencyBench(BenchKafka kafka, Map<String, ?> serdeConfig, Path workDir, BenchSize size, Duration apiDelay)
            throws Exception {
        this.kafka = kafka;
        this.size = size;
        this.topics = new Topics("bench.latency" + (apiDelay.isZero() ? "" : "-api") + ".");
        kafka.createTopics(topics.all(), StreamsThroughputBench.PARTITIONS);
        Files.createDirectories(workDir);
        this.stateDir = Files.createTempDirectory(workDir, "latency-");
        SimulatorSettings simulated = SimulatorSettings.defaults().scriptedOnly();
        if (!apiDelay.isZero()) {
            simulated = simulated.withFaults(SimulatorSettings.Faults.none().withSlowResponses(1.0, apiDelay));
        }
        this.simulator = Simulator.start(simulated);
        this.project = simulator.settings().projects().get(0);
        simulator.tasks().createTask(SERVICE, project, "keeps-the-poller-on-its-fast-interval");

        TransitionSettings settings = TransitionSettings.defaults()
                .withApplicationId("bench-latency-" + System.nanoTime()).withStateDir(stateDir);
        app = new TransitionsApp(TransitionStreamsConfig.properties(kafka.bootstrapServers(), settings, Map.of()),
                TransitionTopology.build(topics, settings, serdeConfig, new SimpleMeterRegistry()));
        app.start();
        if (!app.awaitReady(Duration.ofMinutes(2))) {
            throw new IllegalStateException("The transitions application did not start: " + app.failure());
        }
        startConsumer(serdeConfig);

        Target target = new Target("bench/latency", SERVICE, "eu-de", project, simulator.endpoint(SERVICE), "bench",
                Duration.ofSeconds(30), size.fastPollInterval(), Duration.ofDays(7));
        PolledTarget polled = new PolledTarget(target, Dialects.of(SERVICE),
                new StaticTokenAuthenticator(simulator.credentials("bench")));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        poller = new Poller(PollerSettings.defaults(), List.of(polled), Map.of("bench", new RateLimit(1000)),
                new KafkaSnapshotSink(kafka.clientProperties(), serdeConfig, topics),
                WatchSet.forTargets(List.of(polled), registry), key -> { }, unirest, registry, Clock.systemUTC());
        poller.start();
    }

    private void startConsumer(Map<String, ?> serdeConfig) throws InterruptedException {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<TaskKey, TaskEvent> consumer = new KafkaConsumer<>(config,
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).deserializer(),
                AvroSerdes.specific(TaskEvent.class, serdeConfig, false).deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topics.events()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        java.util.concurrent.CountDownLatch positioned = new java.util.concurrent.CountDownLatch(1);
        consumerThread = new Thread(() -> {
            try (consumer) {
                positioned.countDown();
                while (consuming.get()) {
                    for (ConsumerRecord<TaskKey, TaskEvent> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        arrivals.putIfAbsent(r.value().getTaskId() + "/" + r.value().getType(), now);
                    }
                }
            } catch (Throwable t) {
                consumerFailure.set(t);
            }
        }, "bench-latency-consumer");
        consumerThread.setDaemon(true);
        consumerThread.start();
        positioned.await();
    }

    /** One round: {@code size.latencyTransitions()} tasks completed at random moments; latencies in ms. */
    List<Double> round() throws InterruptedException {
        int n = size.latencyTransitions();
        List<SimTask> created = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            created.add(simulator.tasks().createTask(SERVICE, project, "latency-" + i));
        }
        awaitEvents(created, TaskEventType.STARTED, Duration.ofMinutes(2));
        long spread = size.latencySpread().toMillis();
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            offsets.add((long) (random.nextDouble() * spread));
        }
        offsets.sort(null);
        long start = System.currentTimeMillis();
        long[] changedAt = new long[n];
        for (int i = 0; i < n; i++) {
            long wait = start + offsets.get(i) - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            changedAt[i] = System.currentTimeMillis();
            simulator.tasks().complete(created.get(i).id());
        }
        awaitEvents(created, TaskEventType.COMPLETED, Duration.ofMinutes(2));
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            latencies.add((double) (arrivals.get(created.get(i).id() + "/" + TaskEventType.COMPLETED)
                    - changedAt[i]));
        }
        return latencies;
    }

    private void awaitEvents(List<SimTask> tasks, TaskEventType type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (consumerFailure.get() != null) {
                throw new IllegalStateException("Event consumer failed: " + consumerFailure.get(),
                        consumerFailure.get());
            }
            if (app.failure().isPresent() || poller.failure().isPresent()) {
                throw new IllegalStateException("The pipeline failed: " + app.failure().orElse(null) + " "
                        + poller.failure().orElse(null));
            }
            long missing = tasks.stream().filter(t -> !arrivals.containsKey(t.id() + "/" + type)).count();
            if (missing == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(missing + " of " + tasks.size() + " " + type
                        + " events did not arrive within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (poller != null) {
            poller.close();
        }
        consuming.set(false);
        if (consumerThread != null) {
            consumerThread.join(10_000);
        }
        if (app != null) {
            app.close(Duration.ofSeconds(60));
        }
        unirest.close();
        simulator.close();
        BenchKafka.deleteRecursively(stateDir);
    }
}
