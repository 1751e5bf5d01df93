package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.SimulatedTaskCenter;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Authenticators;
import dev.taskwatch.testing.KafkaTestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production poller with the real dialects and authenticators against the simulator (one target per service,
 * from {@link Simulator#targets}) and the in-process broker: scripted tasks driven through progress, completion,
 * failure and cancellation reach {@code taskwatch.task-snapshots} exactly as the simulator shows them. TaurusDB is
 * polled by id, fed through watch requests on the watch topic and released with tombstones once terminal.
 */
class SimulatorPollerIT {

    static final Duration INTERVAL = Duration.ofMillis(200);
    static final String PROJECT = SimulatorSettings.DEFAULT_PROJECT;

    private final Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, new InProcessSchemaRegistry());
    private final Topics topics = Topics.defaults();

    /** One distinct observation: the poller publishes what it sees each cycle, so repeats are expected. */
    record Seen(String taskId, TaskStatus status, Integer progress) {}

    /**
     * @param historyPerDay finished tasks a day per service over the 7-day lookback before the script starts: 0, and
     *                      a busy account's 200 (1,400 per listing target), which a cycle must not re-read
     */
    @ParameterizedTest(name = "history {0} a day")
    @ValueSource(ints = {0, 200})
    void shouldPublishEveryObservedStateOfScriptedTasksOfAllFourServices(int historyPerDay) throws Exception {
        SimulatorSettings settings = SimulatorSettings.defaults().scriptedOnly()
                .withNotFoundGrace(Duration.ofMillis(300)).withAcceptedTokens(Set.of("it-token"));
        try (KafkaTestBroker kafka = KafkaTestBroker.start();
                Simulator simulator = Simulator.start(settings);
                UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(2_000))) {
            Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                admin.createTopics(List.of(new NewTopic(topics.snapshots(), 1, (short) 1),
                        new NewTopic(topics.watchRequests(), 1, (short) 1).configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all().get();
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            int history = simulator.tasks().seedFinishedHistory(historyPerDay, Duration.ofDays(7));
            List<Target> targets = simulator.targets("eu-de", "sim", INTERVAL, INTERVAL, Duration.ofDays(7));
            assertThat(targets).extracting(Target::service).containsExactlyInAnyOrder(Service.values());
            List<PolledTarget> polled = targets.stream().map(t -> new PolledTarget(t, Dialects.of(t.service()),
                    Authenticators.create(simulator.credentials("sim"), t.region(), t.projectId(), unirest,
                            Clock.systemUTC()))).toList();
            Map<Service, Target> byService = targets.stream().collect(Collectors.toMap(Target::service, t -> t));

            // The script: per service a task that progresses and completes, one that fails, one canceled where the
            // service has that status.
            SimulatedTaskCenter tasks = simulator.tasks();
            Map<String, SimTask> completing = new LinkedHashMap<>();
            Map<String, SimTask> failing = new LinkedHashMap<>();
            Map<String, SimTask> canceling = new LinkedHashMap<>();
            for (Service s : Service.values()) {
                SimTask a = tasks.createTask(s, PROJECT, "Resize" + s.id());
                completing.put(a.id(), a);
                SimTask b = tasks.createTask(s, PROJECT, "Backup" + s.id());
                failing.put(b.id(), b);
                if (SimulatedTaskCenter.hasCanceledStatus(s)) {
                    SimTask c = tasks.createTask(s, PROJECT, "Restart" + s.id());
                    canceling.put(c.id(), c);
                }
            }
            Map<String, SimTask> all = new LinkedHashMap<>(completing);
            all.putAll(failing);
            all.putAll(canceling);

            WatchSet watchSet = WatchSet.forTargets(polled, registry);
            try (KafkaWatchRequests watch = new KafkaWatchRequests(props, serdeConfig, topics.watchRequests(),
                    watchSet);
                    SnapshotCollector collector = new SnapshotCollector(kafka.bootstrapServers())) {
                // TaurusDB has no list: its ids come as watch requests, as `taskwatch watch` would send them
                for (SimTask t : all.values()) {
                    if (Dialects.of(t.service()).listing().isEmpty()) { // TaurusDB, RDS
                        produceWatch(kafka, t);
                    }
                }
                watch.start();
                assertThat(watch.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(watchSet.size()).as("TaurusDB's three tasks and RDS's two").isEqualTo(5);

                Poller poller = new Poller(PollerSettings.defaults(), polled, Map.of("sim", new RateLimit(200)),
                        new KafkaSnapshotSink(props, serdeConfig, topics), watchSet, watch, unirest,
                        registry, Clock.systemUTC());
                Map<String, SimTask> ended = new HashMap<>();
                try {
                    poller.start();
                    for (SimTask t : all.values()) {
                        await("task " + t.service().id() + "/" + t.name() + " seen running at 0%")
                                .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                                .until(() -> collector.seen().contains(new Seen(t.id(), TaskStatus.RUNNING, 0)));
                    }
                    completing.keySet().forEach(id -> tasks.setProgress(id, 50));
                    for (SimTask t : completing.values()) {
                        await("task " + t.service().id() + "/" + t.name() + " seen running at 50%")
                                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                                .until(() -> collector.seen().contains(new Seen(t.id(), TaskStatus.RUNNING, 50)));
                    }
                    completing.keySet().forEach(id -> ended.put(id, tasks.complete(id)));
                    failing.keySet().forEach(id -> ended.put(id, tasks.fail(id, "Failed to upgrade the DB Agent.")));
                    canceling.keySet().forEach(id -> ended.put(id, tasks.cancel(id)));
                    for (SimTask t : ended.values()) {
                        await("task " + t.service().id() + "/" + t.name() + " seen " + t.rawStatus())
                                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                                .until(() -> collector.snapshots().stream().anyMatch(s -> s.getTaskId().equals(t.id())
                                        && s.getRawStatus().equals(t.rawStatus())));
                    }
                    await("every TaurusDB watch released").atMost(Duration.ofSeconds(10))
                            .until(() -> watchSet.size() == 0);
                } finally {
                    poller.close();
                }
                assertThat(poller.failure()).isEmpty();

                // exactly the observations the script allows: nothing invented, nothing missing
                Set<Seen> expected = new HashSet<>();
                for (SimTask t : all.values()) {
                    expected.add(new Seen(t.id(), TaskStatus.RUNNING, 0));
                }
                completing.keySet().forEach(id -> {
                    expected.add(new Seen(id, TaskStatus.RUNNING, 50));
                    expected.add(new Seen(id, TaskStatus.COMPLETED, null));
                });
                failing.keySet().forEach(id -> expected.add(new Seen(id, TaskStatus.FAILED, null)));
                canceling.keySet().forEach(id -> expected.add(new Seen(id, TaskStatus.CANCELED, null)));
                List<TaskSnapshot> everything = collector.snapshots();
                List<TaskSnapshot> published = everything.stream().filter(s -> all.containsKey(s.getTaskId()))
                        .toList();
                assertThat(collector.seen().stream().filter(seen -> all.containsKey(seen.taskId())))
                        .containsExactlyInAnyOrderElementsOf(expected);
                // the finished history: read once at the first start, each task published once, never again
                List<String> historyIds = everything.stream().map(TaskSnapshot::getTaskId)
                        .filter(id -> !all.containsKey(id)).toList();
                assertThat(historyIds).as("history tasks published once each").doesNotHaveDuplicates();
                assertThat(historyIds.size()).as("every finished task of the listing services' lookback")
                        .isEqualTo(history / Service.values().length * java.util.Arrays.stream(Service.values())
                                .filter(s -> Dialects.of(s).listing().isPresent()).count());

                for (TaskSnapshot s : published) {
                    SimTask created = all.get(s.getTaskId());
                    Target target = byService.get(created.service());
                    String where = s.getService() + " " + s.getTaskId() + " " + s.getStatus();
                    assertThat(s.getService()).as(where).isEqualTo(created.service().id());
                    assertThat(s.getRegion()).as(where).isEqualTo("eu-de");
                    assertThat(s.getProjectId()).as(where).isEqualTo(PROJECT);
                    assertThat(s.getName()).as(where).isEqualTo(created.name());
                    assertThat(s.getCreatedAt()).as(where + " created_at")
                            .isEqualTo(created.createdAt().truncatedTo(ChronoUnit.SECONDS));
                    assertThat(s.getInstanceId()).as(where).isEqualTo(created.instanceId());
                    assertThat(s.getSource()).as(where + " source").isEqualTo(target.endpoint()
                            + (created.service() == Service.OPENGAUSS ? "/v3/" + PROJECT + "/tasks"
                            : created.service() == Service.TAURUSDB ? "/mysql/v3/" + PROJECT + "/jobs"
                            : "/v3/" + PROJECT + "/jobs"));
                    boolean terminal = s.getStatus() != TaskStatus.RUNNING;
                    SimTask end = ended.get(s.getTaskId());
                    assertThat(s.getEndedAt()).as(where + " ended_at only when terminal")
                            .isEqualTo(terminal ? end.endedAt().truncatedTo(ChronoUnit.SECONDS) : null);
                    assertThat(s.getFailReason()).as(where + " fail_reason").isEqualTo(
                            s.getStatus() == TaskStatus.FAILED ? "Failed to upgrade the DB Agent." : null);
                }
                assertThat(collector.keysMatchValues()).as("record keys are the snapshots' TaskKeys").isTrue();
                assertThat(registry.find("taskwatch.poller.snapshots.published").counters())
                        .as("published counters per target").hasSize(Service.values().length);
            }
        }
    }

    private void produceWatch(KafkaTestBroker kafka, SimTask task) throws Exception {
        TaskKey key = new TaskKey(task.service().id(), "eu-de", task.projectId(), task.id());
        WatchRequest request = new WatchRequest(key.getService(), key.getRegion(), key.getProjectId(),
                key.getTaskId(), Instant.now(), "SimulatorPollerIT", null);
        try (KafkaProducer<TaskKey, WatchRequest> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer(),
                AvroSerdes.specific(WatchRequest.class, serdeConfig, false).serializer())) {
            producer.send(new ProducerRecord<>(topics.watchRequests(), key, request)).get();
        }
    }

    /** Reads the snapshot topic on its own thread from the beginning, keeping every record. */
    private final class SnapshotCollector implements AutoCloseable {
        private final List<TaskSnapshot> snapshots = new CopyOnWriteArrayList<>();
        private final List<Boolean> keyChecks = new CopyOnWriteArrayList<>();
        private final KafkaConsumer<TaskKey, TaskSnapshot> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        SnapshotCollector(String bootstrap) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    AvroSerdes.specific(TaskKey.class, serdeConfig, true).deserializer(),
                    AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false).deserializer());
            TopicPartition tp = new TopicPartition(topics.snapshots(), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            thread = new Thread(() -> {
                try {
                    while (running) {
                        consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                            snapshots.add(r.value());
                            keyChecks.add(r.key().equals(new TaskKey(r.value().getService(), r.value().getRegion(),
                                    r.value().getProjectId(), r.value().getTaskId())));
                        });
                    }
                } catch (org.apache.kafka.common.errors.WakeupException e) {
                    // closing
                } finally {
                    consumer.close();
                }
            }, "snapshot-collector");
            thread.start();
        }

        List<TaskSnapshot> snapshots() {
            return new ArrayList<>(snapshots);
        }

        Set<Seen> seen() {
            return snapshots.stream().map(s -> new Seen(s.getTaskId(), s.getStatus(), s.getProgressPercent()))
                    .collect(Collectors.toSet());
        }

        boolean keysMatchValues() {
            return !keyChecks.isEmpty() && keyChecks.stream().allMatch(b -> b);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            consumer.wakeup();
            thread.join(10_000);
        }
    }
}
