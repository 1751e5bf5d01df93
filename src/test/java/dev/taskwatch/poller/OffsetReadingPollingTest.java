package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import dev.taskwatch.taskcenter.auth.StaticTokenAuthenticator;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Paging that is right whichever way the openGauss list reads {@code offset}: the simulator plays an item-offset
 * server and a page-number one, the real dialect and poller read 25 tasks in pages of 10, learn the reading from the
 * answers and report every task once.
 */
class OffsetReadingPollingTest {

    private static final String PROJECT = SimulatorSettings.DEFAULT_PROJECT;
    private static final int TASKS = 25;

    private final ManualClock clock = new ManualClock(PollerFixture.T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemorySnapshotSink sink = new InMemorySnapshotSink();
    private final UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(2_000));
    private Simulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
        unirest.close();
    }

    @ParameterizedTest
    @EnumSource(OffsetReading.class)
    void shouldReadEveryTaskOnceWhicheverWayTheServerReadsOffset(OffsetReading served) {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withOffsetReading(served), clock,
                d -> { });
        for (int i = 0; i < TASKS; i++) {
            clock.advance(Duration.ofSeconds(1));
            simulator.tasks().complete(simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "Task" + i).id());
        }
        Target target = new Target("og", Service.OPENGAUSS, "eu-de", PROJECT, simulator.endpoint(Service.OPENGAUSS),
                "cred", PollerFixture.INTERVAL, PollerFixture.ACTIVE_INTERVAL, Duration.ofDays(1));
        PollerSettings settings = PollerSettings.defaults();
        TargetPoller poller = new TargetPoller(new PolledTarget(target, Dialects.of(Service.OPENGAUSS),
                new StaticTokenAuthenticator(new Credentials.StaticToken("cred", "token")), 10), settings,
                new TaskCenterHttp(unirest, settings.requestTimeout(), clock), new StatusCodeResponsePolicy(), sink,
                new WatchSet(List.of(target), registry), key -> { }, registry, clock, () -> 0.5);

        poller.runCycle();

        assertThat(poller.memory().offsetReading()).isEqualTo(served);
        Set<String> ids = new HashSet<>();
        for (TaskSnapshot s : sink.published) {
            ids.add(s.getTaskId());
        }
        assertThat(ids).as("every task, none lost").hasSize(TASKS);
        assertThat(sink.published).as("none twice").hasSize(TASKS);
    }
}
