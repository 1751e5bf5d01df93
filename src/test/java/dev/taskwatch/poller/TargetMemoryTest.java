package dev.taskwatch.poller;

import static dev.taskwatch.poller.ListingPlanTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a target remembers decides what is published: only what changed, and running tasks now and then. */
class TargetMemoryTest {

    private static final Instant T0 = PollerFixture.T0;
    private static final Duration REFRESH = Duration.ofMinutes(5);

    private final TargetMemory memory = new TargetMemory();

    private boolean publishes(TaskSnapshot s, Instant now) {
        boolean changed = memory.changed(s, now, REFRESH);
        memory.record(List.of(s), changed ? List.of(s) : List.of(), now);
        return changed;
    }

    @Test
    void shouldPublishARunningTaskAgainOnlyWhenItChangesOrItsRefreshIsDue() {
        TaskSnapshot running = snapshot("a", TaskStatus.RUNNING, T0);
        assertThat(publishes(running, T0)).isTrue();
        assertThat(publishes(running, T0.plusSeconds(5))).as("unchanged").isFalse();
        running.setProgressPercent(40);
        assertThat(publishes(running, T0.plusSeconds(10))).as("progress").isTrue();
        assertThat(publishes(running, T0.plusSeconds(10).plus(REFRESH).minusMillis(1))).isFalse();
        assertThat(publishes(running, T0.plusSeconds(10).plus(REFRESH))).as("refresh").isTrue();
    }

    @Test
    void shouldPublishATerminalStateOnceWhateverTheObservationTime() {
        TaskSnapshot done = snapshot("a", TaskStatus.COMPLETED, T0);
        assertThat(publishes(done, T0)).isTrue();
        done.setObservedAt(T0.plusSeconds(60));
        done.setSource("another call");
        assertThat(publishes(done, T0.plusSeconds(60))).isFalse();
        done.setFailReason("edited");
        assertThat(publishes(done, T0.plusSeconds(90))).as("the API changed what it says").isTrue();
    }

    @Test
    void shouldFollowATaskWhoseStatusGoesBackAndForgetItWhenItIsTerminalAgain() {
        TaskSnapshot done = snapshot("a", TaskStatus.COMPLETED, T0);
        publishes(done, T0);
        assertThat(publishes(snapshot("a", TaskStatus.RUNNING, T0), T0.plusSeconds(5))).isTrue();
        assertThat(memory.running()).containsOnlyKeys("a");
        assertThat(publishes(done, T0.plusSeconds(10))).as("the same end as before").isFalse();
        assertThat(memory.running()).isEmpty();
    }

    @Test
    void shouldForgetAKnownTaskOnlyAfterRepeatedNotFoundAnswers() {
        publishes(snapshot("a", TaskStatus.RUNNING, T0), T0);
        assertThat(memory.notFound("a", 3)).isFalse();
        assertThat(memory.notFound("a", 3)).isFalse();
        publishes(snapshot("a", TaskStatus.RUNNING, T0), T0.plusSeconds(5));
        assertThat(memory.notFound("a", 3)).as("a sighting resets the count").isFalse();
        assertThat(memory.notFound("a", 3)).isFalse();
        assertThat(memory.notFound("a", 3)).isTrue();
        assertThat(memory.running()).isEmpty();
    }

    @Test
    void shouldKeepOnlyTheFinishedTasksTheLastSweepSaw() {
        TaskSnapshot old = snapshot("old", TaskStatus.COMPLETED, T0.minus(Duration.ofDays(8)));
        TaskSnapshot recent = snapshot("recent", TaskStatus.COMPLETED, T0);
        publishes(old, T0);
        publishes(recent, T0);
        assertThat(memory.finishedRemembered()).isEqualTo(2);

        memory.swept(T0.plus(Duration.ofHours(1)), Set.of(SnapshotFingerprint.of(recent)));

        assertThat(memory.finishedRemembered()).isEqualTo(1);
        assertThat(memory.changed(recent, T0, REFRESH)).isFalse();
        assertThat(memory.listedThrough()).isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void shouldKeepFinishedFingerprintsBetweenOneAndTwoLookbacksWhenNoSweepCompletes() {
        Duration lookback = Duration.ofDays(7);
        TaskSnapshot done = snapshot("a", TaskStatus.COMPLETED, T0);
        memory.rotate(T0, lookback);
        publishes(done, T0);

        memory.rotate(T0.plus(lookback), lookback);
        assertThat(memory.changed(done, T0.plus(lookback), REFRESH)).as("one lookback later: still known").isFalse();
        memory.rotate(T0.plus(lookback.multipliedBy(2)), lookback);
        assertThat(memory.finishedRemembered()).as("two lookbacks later: dropped").isZero();
        assertThat(memory.changed(done, T0.plus(lookback.multipliedBy(2)), REFRESH)).isTrue();
    }

    @Test
    void shouldResumeFromAPositionWithItsRunningTasksUnpublished() {
        memory.restore(TargetPosition.of(target(), T0,
                java.util.Map.of("a", T0.minusSeconds(60))), T0.plusSeconds(5));
        assertThat(memory.running()).containsOnlyKeys("a");
        assertThat(memory.listedThrough()).isEqualTo(T0);
        assertThat(memory.changed(snapshot("a", TaskStatus.RUNNING, T0.minusSeconds(60)), T0, REFRESH))
                .as("a restart may publish once").isTrue();
    }

    private static dev.taskwatch.taskcenter.Target target() {
        return new dev.taskwatch.taskcenter.Target("t", dev.taskwatch.taskcenter.Service.DDS, "eu-de", "p",
                java.net.URI.create("http://mem/t"), "c", Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofDays(7));
    }
}
