package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.serde.AvroSerdeConfig;
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
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * A restart of the standalone poller resumes from the compacted positions topic: it reads only the window it needs
 * (counted by the simulator) and a task that completed while the poller was down still gets its COMPLETED snapshot.
 * The same restart without stored positions (the behaviour before positions existed) is measured alongside.
 */
class PollerRestartIT {

    private static final Instant T0 = PollerFixture.T0;
    private static final String PROJECT = SimulatorSettings.DEFAULT_PROJECT;
    private static final int HISTORY = 450;

    private final Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT,
            new InProcessSchemaRegistry());
    private final Topics topics = Topics.defaults();
    private final ManualClock clock = new ManualClock(T0.minus(Duration.ofDays(20)));

    @Test
    void shouldResumeFromTheStoredPositionReadingOnlyTheWindowItNeedsAndStillSeeWhatEndedWhileDown()
            throws Exception {
        SimulatorSettings settings = SimulatorSettings.defaults().scriptedOnly()
                .withAcceptedTokens(Set.of("it-token"));
        try (KafkaTestBroker kafka = KafkaTestBroker.start();
                Simulator simulator = Simulator.start(settings, clock, d -> { });
                UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(2_000))) {
            Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                admin.createTopics(List.of(new NewTopic(topics.snapshots(), 1, (short) 1),
                        new NewTopic(topics.pollerPositions(), 1, (short) 1).configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all().get();
            }
            SimulatedTaskCenter tasks = simulator.tasks();
            // 20 days of finished history: pages that only a first read needs
            for (int i = 0; i < HISTORY; i++) {
                tasks.complete(tasks.createTask(Service.DDS, PROJECT, "Old" + i).id());
                clock.advance(Duration.ofMinutes(30));
            }
            clock.set(T0.minus(Duration.ofHours(2)));
            SimTask longRunning = tasks.createTask(Service.DDS, PROJECT, "Resize");
            clock.set(T0);
            Target target = simulator.targets("eu-de", "sim", Duration.ofSeconds(30), Duration.ofSeconds(5),
                    Duration.ofDays(30)).stream().filter(t -> t.service() == Service.DDS).findFirst().orElseThrow();
            PolledTarget polled = new PolledTarget(target, Dialects.of(Service.DDS), Authenticators.create(
                    simulator.credentials("sim"), target.region(), target.projectId(), unirest, clock));

            // first start: nothing stored, the whole history is read
            long before = simulator.requestCount();
            runPoller(props, polled, unirest, true, Duration.ofSeconds(10));
            long firstStart = simulator.requestCount() - before;
            int pages = (HISTORY + 1 + polled.effectivePageSize() - 1) / polled.effectivePageSize();
            assertThat(firstStart).as("first start reads the whole lookback, 30 days").isGreaterThanOrEqualTo(pages);

            // down for 30 minutes: the running task completes, another starts and completes
            clock.advance(Duration.ofMinutes(30));
            tasks.complete(longRunning.id());
            SimTask quick = tasks.createTask(Service.DDS, PROJECT, "Backup");
            clock.advance(Duration.ofMinutes(5));
            tasks.complete(quick.id());
            clock.advance(Duration.ofMinutes(1));

            // restart with the stored position: one page, reaching back to the task that was running
            before = simulator.requestCount();
            Instant restartedAt = clock.instant();
            runPoller(props, polled, unirest, true, Duration.ofSeconds(1));
            long resumed = simulator.requestCount() - before;
            assertThat(resumed).as("a resumed first cycle reads only the window it needs").isEqualTo(1);

            List<TaskSnapshot> afterRestart = snapshots(kafka).stream()
                    .filter(s -> !s.getObservedAt().isBefore(restartedAt)).toList();
            assertThat(afterRestart).extracting(s -> s.getTaskId() + ":" + s.getStatus())
                    .contains(longRunning.id() + ":COMPLETED", quick.id() + ":COMPLETED");

            // the same restart as before positions existed: the whole history again
            before = simulator.requestCount();
            runPoller(props, polled, unirest, false, Duration.ofSeconds(1));
            long withoutPositions = simulator.requestCount() - before;
            assertThat(withoutPositions).isGreaterThanOrEqualTo(pages);
            System.out.printf("PollerRestartIT: requests of the first cycle after a restart: %d without stored "
                    + "positions (%d history tasks), %d with them (first start: %d)%n", withoutPositions, HISTORY,
                    resumed, firstStart);
        }
    }

    /** One poller process: reads the positions (if kept), polls on the manual clock for {@code duration}, stops. */
    private void runPoller(Map<String, Object> props, PolledTarget polled, UnirestInstance unirest,
            boolean keepPositions, Duration duration) {
        PollerSettings settings = new PollerSettings(Duration.ofSeconds(10), 50, Duration.ofSeconds(60),
                Duration.ofMinutes(5), 0.0);
        try (KafkaPositionStore store = new KafkaPositionStore(props, topics.pollerPositions())) {
            Map<String, TargetPosition> stored = keepPositions ? store.readAll(Duration.ofSeconds(30)) : Map.of();
            Poller poller = Poller.builder(settings, List.of(polled)).rateLimits(Map.of("sim", new RateLimit(1000)))
                    .snapshots(new KafkaSnapshotSink(props, serdeConfig, topics))
                    .positions(keepPositions ? store : PositionSink.NONE, stored).http(unirest)
                    .metrics(new SimpleMeterRegistry()).clock(clock).random(() -> 0.0).manual().build();
            poller.start();
            new ManualDriver(clock, poller).runFor(duration);
            assertThat(poller.health().get(0).lastError()).isNull();
            assertThat(poller.health().get(0).cycleCompleted()).isTrue();
            poller.close();
        }
    }

    private List<TaskSnapshot> snapshots(KafkaTestBroker kafka) {
        try (KafkaConsumer<TaskKey, TaskSnapshot> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).deserializer(),
                AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false).deserializer())) {
            TopicPartition tp = new TopicPartition(topics.snapshots(), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<TaskSnapshot> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<TaskKey, TaskSnapshot> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            return out;
        }
    }
}
