package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.devkit.simulator.SimulatorSettings.Faults;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Normalisation;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.Test;

/**
 * Twenty simulated minutes of the poller, with the real dialects, against a simulator that throttles, fails and
 * breaks its bodies at random (seeded, so the run is reproducible), on a manual clock and scheduler (no real waiting):
 * every task that ended early enough gets its terminal snapshot anyway, with the simulator's exact end, and nothing
 * a broken answer said is ever published.
 */
class FaultySimulatorPollingTest {

    @Test
    void shouldPublishEveryTerminalStateDespiteRandomFaultsAndNeverAnythingBroken() {
        ManualClock clock = new ManualClock(PollerFixture.T0);
        Faults faults = Faults.none().withThrottle(0.1, Duration.ofSeconds(2)).withGatewayThrottle(0.05, 429)
                .withServerErrors(0.1).withMalformedBodies(0.05).withTrailingBrace(0.05);
        SimulatorSettings settings = SimulatorSettings.defaults().withSeed(11)
                .withRates(3.0, Duration.ofMinutes(1), 0.2, 0.1).withFaults(faults);
        InMemorySnapshotSink sink = new InMemorySnapshotSink();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Random random = new Random(5);
        try (Simulator simulator = Simulator.start(settings, clock, d -> {});
                UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(2_000))) {
            List<Target> targets = simulator.targets("eu-de", "sim", Duration.ofSeconds(30), Duration.ofSeconds(5),
                    Duration.ofDays(1));
            List<PolledTarget> polled = targets.stream().map(t -> new PolledTarget(t, Dialects.of(t.service()),
                    new TestAuthenticator())).toList();
            WatchSet watchSet = WatchSet.forTargets(polled, registry);
            // as the runtime does for the get-by-id services: every new TaurusDB task is watched
            simulator.tasks().onTaskCreated(task -> {
                if (Dialects.of(task.service()).listing().isEmpty()) { // TaurusDB, RDS
                    String service = task.service().id();
                    watchSet.apply(new TaskKey(service, "eu-de", task.projectId(), task.id()),
                            new WatchRequest(service, "eu-de", task.projectId(), task.id(), task.createdAt(),
                                    "test", null));
                }
            });
            Map<String, SimTask> ended = new ConcurrentHashMap<>();
            PollerSettings pollerSettings = new PollerSettings(Duration.ofSeconds(5), 50, Duration.ofSeconds(60),
                    Duration.ofSeconds(30), 0.2);
            Poller poller = Poller.builder(pollerSettings, polled).rateLimits(Map.of("sim", new RateLimit(50)))
                    .snapshots(sink).watch(watchSet, key -> { }).http(unirest).metrics(registry).clock(clock)
                    .random(random::nextDouble).manual().build();
            ManualDriver scheduler = new ManualDriver(clock, poller);
            poller.start();
            Instant end = PollerFixture.T0.plus(Duration.ofMinutes(20));
            while (clock.instant().isBefore(end)) {
                scheduler.runFor(Duration.ofSeconds(10));
                for (Service service : Service.values()) {
                    for (SimTask t : simulator.tasks().visibleTasks(service, SimulatorSettings.DEFAULT_PROJECT)) {
                        if (t.endedAt() != null) {
                            ended.putIfAbsent(t.id(), t);
                        }
                    }
                }
            }
            poller.close();
            assertThat(poller.failure()).isEmpty();

            // the faults did happen
            for (String outcome : List.of("APIGW.0308", "APIG.0308", "DBS.200000", "malformed")) {
                double count = registry.find("taskwatch.poller.requests").tag("outcome", outcome).counters().stream()
                        .mapToDouble(Counter::count).sum();
                assertThat(count).as("requests with outcome " + outcome).isPositive();
            }

            List<SimTask> due = ended.values().stream()
                    .filter(t -> t.endedAt().isBefore(end.minus(Duration.ofMinutes(2)))).toList();
            assertThat(due).as("tasks that ended").hasSizeGreaterThan(20);
            assertThat(due).extracting(SimTask::service).contains(Service.values());
            List<String> missing = new ArrayList<>();
            for (SimTask t : due) {
                boolean seen = sink.published.stream().anyMatch(s -> s.getTaskId().equals(t.id())
                        && s.getRawStatus().equals(t.rawStatus())
                        && t.endedAt().truncatedTo(ChronoUnit.SECONDS).equals(s.getEndedAt()));
                if (!seen) {
                    missing.add(t.service().id() + " " + t.id() + " " + t.rawStatus() + " at " + t.endedAt());
                }
            }
            assertThat(missing).as("terminal states never published").isEmpty();

            // nothing invented: every snapshot is a state the simulator's task really had
            for (TaskSnapshot s : sink.published) {
                SimTask t = simulator.tasks().find(s.getTaskId()).orElseThrow();
                assertThat(s.getName()).isEqualTo(t.name().strip());
                assertThat(s.getCreatedAt()).isEqualTo(t.createdAt().truncatedTo(ChronoUnit.SECONDS));
                assertThat(s.getInstanceId()).isEqualTo(t.instanceId());
                if (TaskStatuses.isTerminal(s.getStatus())) {
                    assertThat(s.getRawStatus()).as(s.getTaskId()).isEqualTo(t.rawStatus());
                } else {
                    assertThat(s.getStatus()).isEqualTo(TaskStatus.RUNNING);
                    assertThat(s.getEndedAt()).isNull();
                    assertThat(s.getProgressPercent()).isBetween(0, 99);
                }
            }
            assertThat(watchSet.entriesFor(targets.stream().filter(t -> t.service() == Service.TAURUSDB)
                    .findFirst().orElseThrow())).as("TaurusDB watches left: only tasks still running")
                    .allSatisfy(w -> assertThat(ended.get(w.getTaskId())).as(w.getTaskId()).satisfiesAnyOf(
                            e -> assertThat(e).isNull(),
                            e -> assertThat(e.endedAt()).isAfter(end.minus(Duration.ofMinutes(2)))));
        }
    }
}
