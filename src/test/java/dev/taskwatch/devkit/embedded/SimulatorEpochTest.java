package dev.taskwatch.devkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.SimulatedTaskCenter;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorEpochTest {

    private static final Instant EPOCH = Instant.parse("2026-12-02T06:00:00Z");
    private static final Instant LATER = EPOCH.plus(Duration.ofMinutes(5));

    @TempDir
    Path dir;

    private static List<SimTask> visible(SimulatedTaskCenter center, SimulatorSettings settings) {
        List<SimTask> tasks = new ArrayList<>();
        for (Service service : settings.services().stream().sorted().toList()) {
            for (String project : settings.projects()) {
                tasks.addAll(center.visibleTasks(service, project));
            }
        }
        return tasks;
    }

    private static List<SimTask> keptRunning(SimulatorSettings settings) {
        ManualClock clock = new ManualClock(EPOCH);
        SimulatedTaskCenter center = new SimulatedTaskCenter(settings, clock);
        for (int second = 1; second <= 300; second++) {
            clock.set(EPOCH.plusSeconds(second));
            center.advance();
        }
        return visible(center, settings);
    }

    @Test
    void shouldServeAfterARestartTheTasksItWouldHaveServedHadItKeptRunning() {
        SimulatorSettings settings = SimulatedTaskSource.builtInSimulator(42);
        Path file = dir.resolve(EmbeddedDataDir.SIMULATOR_EPOCH);
        assertThat(SimulatorEpoch.readOrCreate(file, EPOCH)).isEqualTo(EPOCH);

        Instant epoch = SimulatorEpoch.readOrCreate(file, LATER); // the restart, five minutes later
        SimulatedTaskCenter restarted = new SimulatedTaskCenter(settings,
                SimulatorEpoch.clock(Clock.fixed(LATER, ZoneOffset.UTC), epoch));
        restarted.advance();

        assertThat(epoch).isEqualTo(EPOCH);
        List<SimTask> expected = keptRunning(settings);
        assertThat(expected).isNotEmpty();
        assertThat(visible(restarted, settings)).isEqualTo(expected);
    }

    @Test
    void shouldNotServeTheSameWorldWhenTheScheduleBeginsAnewAtTheRestart() {
        SimulatorSettings settings = SimulatedTaskSource.builtInSimulator(42);
        SimulatedTaskCenter anew = new SimulatedTaskCenter(settings, Clock.fixed(LATER, ZoneOffset.UTC));
        anew.advance();

        // what a restart without the kept epoch saw: the same seed, the schedule restarted from nothing
        assertThat(visible(anew, settings)).isNotEqualTo(keptRunning(settings));
    }

    @Test
    void shouldBeginAnewWhenTheEpochIsUnreadableOrInTheFuture() throws Exception {
        Path file = dir.resolve(EmbeddedDataDir.SIMULATOR_EPOCH);
        Files.writeString(file, "2026-12-0"); // a write cut short by kill -9
        assertThat(SimulatorEpoch.readOrCreate(file, LATER)).isEqualTo(LATER);
        assertThat(Files.readString(file).strip()).isEqualTo(LATER.toString());

        Files.writeString(file, LATER.plusSeconds(3600).toString());
        assertThat(SimulatorEpoch.readOrCreate(file, LATER)).isEqualTo(LATER);
    }

    @Test
    void shouldReadTheEpochOnlyOnceThenTheRealTime() {
        Clock clock = SimulatorEpoch.clock(Clock.fixed(LATER, ZoneOffset.UTC), EPOCH);

        assertThat(clock.instant()).isEqualTo(EPOCH);
        assertThat(clock.instant()).isEqualTo(LATER);
        assertThat(clock.withZone(ZoneOffset.ofHours(1)).instant()).isEqualTo(LATER);
    }
}
