package dev.taskwatch.devkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A busy account's finished history, seeded before the live schedule starts. */
class SimulatedHistoryTest {

    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    private static List<SimTask> seeded(double perDay, Duration span) {
        SimulatedTaskCenter tasks = new SimulatedTaskCenter(SimulatorSettings.defaults().scriptedOnly(),
                new ManualClock(NOW));
        tasks.seedFinishedHistory(perDay, span);
        return tasks.visibleTasks(Service.DDS, SimulatorSettings.DEFAULT_PROJECT);
    }

    @Test
    void shouldFillTheSpanWithFinishedTasksAtTheGivenRatePerServiceAndProject() {
        List<SimTask> dds = seeded(200, Duration.ofDays(7));

        assertThat(dds).hasSizeBetween(1390, 1400);
        assertThat(dds).allSatisfy(t -> {
            assertThat(t.rawStatus()).isIn("Completed", "Failed");
            assertThat(t.createdAt()).isAfterOrEqualTo(NOW.minus(Duration.ofDays(7))).isBefore(NOW);
            assertThat(t.endedAt()).isBefore(NOW);
        });
        assertThat(dds).extracting(SimTask::rawStatus).contains("Failed");
    }

    @Test
    void shouldSeedTheSameHistoryForTheSameSeedAndNeverBeyondTheApisThirtyDays() {
        assertThat(seeded(10, Duration.ofDays(3))).isEqualTo(seeded(10, Duration.ofDays(3)));
        assertThat(seeded(10, Duration.ofDays(45))).hasSizeLessThanOrEqualTo(300)
                .allSatisfy(t -> assertThat(t.createdAt()).isAfter(NOW.minus(Duration.ofDays(30))));
    }
}
