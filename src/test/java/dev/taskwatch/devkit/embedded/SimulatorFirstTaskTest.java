package dev.taskwatch.devkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorFirstTaskTest {

    private static final Instant EPOCH = Instant.parse("2026-12-02T06:00:00Z");
    private static final String PROJECT = SimulatorSettings.DEFAULT_PROJECT;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(EPOCH);

    private SimulatedTaskSource start() {
        return SimulatedTaskSource.start(42, clock, dir.resolve(EmbeddedDataDir.SIMULATOR_EPOCH),
                dir.resolve(EmbeddedDataDir.SIMULATOR_PORT));
    }

    private static List<SimTask> geminiDb(SimulatedTaskSource source) {
        return source.tasks().visibleTasks(Service.GEMINIDB, PROJECT);
    }

    @Test
    void shouldBeginWithATaskAlreadyRunningSoThatTheFirstEventNeedsNoArrival() {
        try (SimulatedTaskSource source = start()) {
            List<SimTask> tasks = geminiDb(source);

            assertThat(tasks).hasSize(1);
            SimTask first = tasks.get(0);
            assertThat(first.running()).isTrue();
            assertThat(first.createdAt()).isEqualTo(EPOCH.minus(SimulatedTaskSource.FIRST_TASK_BEGAN));
            assertThat(first.progress()).isBetween(1, 99);
        }
    }

    @Test
    void shouldServeAfterARestartTheFirstTaskInTheStateItReachedAndThenComplete() {
        SimTask keptRunning;
        try (SimulatedTaskSource source = start()) {
            clock.advance(Duration.ofSeconds(60));
            keptRunning = geminiDb(source).stream().filter(t -> t.createdAt().isBefore(EPOCH)).findFirst()
                    .orElseThrow();
        }
        try (SimulatedTaskSource restarted = start()) {
            List<SimTask> firstTasks = geminiDb(restarted).stream().filter(t -> t.createdAt().isBefore(EPOCH))
                    .toList();

            assertThat(firstTasks).containsExactly(keptRunning);
            assertThat(keptRunning.progress()).isGreaterThan(50);

            clock.set(EPOCH.plus(SimulatedTaskSource.FIRST_TASK_REMAINS));
            SimTask ended = restarted.tasks().find(keptRunning.id()).orElseThrow();
            assertThat(ended.rawStatus()).isEqualTo("Completed");
            assertThat(ended.endedAt()).isEqualTo(EPOCH.plus(SimulatedTaskSource.FIRST_TASK_REMAINS));
        }
    }
}
