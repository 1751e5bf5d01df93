package dev.taskwatch.transitions;

import static dev.taskwatch.transitions.Snapshots.CREATED;
import static dev.taskwatch.transitions.Snapshots.key;
import static dev.taskwatch.transitions.Snapshots.of;
import static dev.taskwatch.transitions.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskState;
import dev.taskwatch.avro.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransitionRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private final TransitionRules rules = TransitionRules.of(TransitionSettings.defaults());

    /** Applies {@code snapshot} on top of {@code previous}, asserting nothing. */
    private Transition apply(TaskState previous, TaskSnapshot snapshot) {
        return rules.apply(previous, snapshot, NOW);
    }

    private TaskState stateAfter(TaskSnapshot... snapshots) {
        TaskState state = null;
        for (TaskSnapshot s : snapshots) {
            Transition t = apply(state, s);
            if (t.newState() != null) {
                state = t.newState();
            }
        }
        return state;
    }

    private static TaskEvent only(Transition t) {
        assertThat(t.events()).hasSize(1);
        return t.events().get(0);
    }

    @Nested
    class FirstSeen {

        @Test
        void shouldEmitOnlyStartedForATaskFirstSeenRunningWithProgress() {
            Transition t = apply(null, snap("t", TaskStatus.RUNNING, 40, 60));
            assertThat(t.outcome()).isEqualTo(Outcome.EMITTED);
            TaskEvent e = only(t);
            assertThat(e.getType()).isEqualTo(TaskEventType.STARTED);
            assertThat(e.getProgressPercent()).isEqualTo(40);
            assertThat(e.getPreviousStatus()).isNull();
            assertThat(e.getPreviousProgressPercent()).isNull();
            assertThat(e.getOccurredAt()).isEqualTo(CREATED);
            assertThat(e.getDetectedAt()).isEqualTo(CREATED.plusSeconds(60));
            assertThat(e.getEndedAt()).isNull();
            assertThat(e.getDurationMs()).isNull();
            assertThat(e.getBackfill()).isFalse();
            assertThat(t.newState().getStartedEmitted()).isTrue();
            assertThat(t.newState().getMaxProgressPercent()).isEqualTo(40);
            assertThat(t.newState().getLastSeenAt()).isEqualTo(NOW);
        }

        @Test
        void shouldFallBackToObservedAtForStartedWithoutCreatedAt() {
            TaskEvent e = only(apply(null, of("t", TaskStatus.RUNNING, null, 60).setCreatedAt(null).build()));
            assertThat(e.getOccurredAt()).isEqualTo(CREATED.plusSeconds(60));
            assertThat(e.getCreatedAt()).isNull();
        }

        @ParameterizedTest
        @EnumSource(value = TaskStatus.class, names = {"COMPLETED", "FAILED", "CANCELED"})
        void shouldEmitOnlyTheTerminalEventForATaskFirstSeenTerminal(TaskStatus status) {
            Transition t = apply(null, snap("t", status, 100, 120));
            TaskEvent e = only(t);
            assertThat(e.getType().name()).isEqualTo(status.name());
            assertThat(e.getStatus()).isEqualTo(status);
            assertThat(e.getEndedAt()).isEqualTo(CREATED.plusSeconds(119));
            assertThat(e.getOccurredAt()).isEqualTo(CREATED.plusSeconds(119));
            assertThat(e.getDurationMs()).isEqualTo(119_000L);
            assertThat(e.getBackfill()).as("ended 1 s before detection").isFalse();
            assertThat(t.newState().getStartedEmitted()).isFalse();
        }

        @Test
        void shouldMarkBackfillWhenFirstSeenTerminalEndedLongBeforeDetection() {
            TaskSnapshot old = of("t", TaskStatus.COMPLETED, 100, 3600).setEndedAt(CREATED.plusSeconds(60)).build();
            assertThat(only(apply(null, old)).getBackfill()).isTrue();
        }

        @Test
        void shouldNotMarkBackfillExactlyAtTheThreshold() {
            Instant observed = CREATED.plusSeconds(3600);
            TaskSnapshot edge = of("t", TaskStatus.COMPLETED, 100, 3600)
                    .setEndedAt(observed.minus(Duration.ofMinutes(10))).build();
            assertThat(only(apply(null, edge)).getBackfill()).isFalse();
            TaskSnapshot beyond = of("t", TaskStatus.COMPLETED, 100, 3600)
                    .setEndedAt(observed.minus(Duration.ofMinutes(10)).minusMillis(1)).build();
            assertThat(only(apply(null, beyond)).getBackfill()).isTrue();
        }

        @Test
        void shouldHonourAConfiguredBackfillThreshold() {
            TransitionRules strict = TransitionRules.of(TransitionSettings.defaults()
                    .withBackfillThreshold(Duration.ZERO));
            TaskEvent e = only(strict.apply(null, snap("t", TaskStatus.COMPLETED, 100, 120), NOW));
            assertThat(e.getBackfill()).isTrue();
        }

        @Test
        void shouldNotMarkBackfillWithoutEndedAtAndUseObservedAtAsOccurredAt() {
            TaskEvent e = only(apply(null, of("t", TaskStatus.FAILED, null, 7200).setEndedAt(null).build()));
            assertThat(e.getBackfill()).isFalse();
            assertThat(e.getOccurredAt()).isEqualTo(CREATED.plusSeconds(7200));
            assertThat(e.getDurationMs()).isNull();
            assertThat(e.getFailReason()).isEqualTo("disk full");
        }

        @Test
        void shouldNotMarkBackfillForATerminalEventOfAKnownTask() {
            TaskState running = stateAfter(snap("t", TaskStatus.RUNNING, 10, 60));
            TaskSnapshot old = of("t", TaskStatus.COMPLETED, 100, 3600).setEndedAt(CREATED.plusSeconds(61)).build();
            assertThat(only(apply(running, old)).getBackfill()).isFalse();
        }

        @ParameterizedTest
        @EnumSource(value = TaskStatus.class, names = {"PENDING", "UNKNOWN"})
        void shouldStorePendingAndUnknownSilently(TaskStatus status) {
            Transition t = apply(null, snap("t", status, null, 10));
            assertThat(t.outcome()).isEqualTo(Outcome.STORED_SILENTLY);
            assertThat(t.events()).isEmpty();
            assertThat(t.newState().getStatus()).isEqualTo(status);
        }
    }

    @Nested
    class Running {

        @Test
        void shouldEmitStartedWhenRunningFollowsPending() {
            TaskState pending = stateAfter(snap("t", TaskStatus.PENDING, null, 10));
            TaskEvent e = only(apply(pending, snap("t", TaskStatus.RUNNING, 5, 20)));
            assertThat(e.getType()).isEqualTo(TaskEventType.STARTED);
            assertThat(e.getPreviousStatus()).isEqualTo(TaskStatus.PENDING);
        }

        @Test
        void shouldEmitProgressedOnlyOnHigherProgress() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 10, 10));
            Transition higher = apply(s, snap("t", TaskStatus.RUNNING, 30, 20));
            TaskEvent e = only(higher);
            assertThat(e.getType()).isEqualTo(TaskEventType.PROGRESSED);
            assertThat(e.getProgressPercent()).isEqualTo(30);
            assertThat(e.getPreviousProgressPercent()).isEqualTo(10);
            assertThat(e.getPreviousStatus()).isEqualTo(TaskStatus.RUNNING);
            assertThat(e.getOccurredAt()).isEqualTo(CREATED.plusSeconds(20));
            assertThat(higher.newState().getMaxProgressPercent()).isEqualTo(30);
        }

        @Test
        void shouldDropLowerProgressAndKeepTheMaximum() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 10, 10), snap("t", TaskStatus.RUNNING, 50, 20));
            Transition lower = apply(s, snap("t", TaskStatus.RUNNING, 40, 30));
            assertThat(lower.outcome()).isEqualTo(Outcome.LOWER_PROGRESS);
            assertThat(lower.events()).isEmpty();
            assertThat(lower.newState()).as("no store write").isNull();
        }

        @Test
        void shouldEmitNothingForAnotherStartedAfterRunningWasInterruptedByPending() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 10, 10), snap("t", TaskStatus.PENDING, 10, 20));
            Transition again = apply(s, snap("t", TaskStatus.RUNNING, 10, 30));
            assertThat(again.outcome()).isEqualTo(Outcome.STORED_SILENTLY);
            assertThat(again.events()).isEmpty();
        }

        @Test
        void shouldStoreSilentlyWhenOnlyInstanceStatusChanges() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 10, 10));
            Transition t = apply(s, of("t", TaskStatus.RUNNING, 10, 20).setInstanceStatus("BACKING_UP").build());
            assertThat(t.outcome()).isEqualTo(Outcome.STORED_SILENTLY);
            assertThat(t.newState().getInstanceStatus()).isEqualTo("BACKING_UP");
            assertThat(t.newState().getObservedAt()).isEqualTo(CREATED.plusSeconds(20));
        }

        @Test
        void shouldStoreSilentlyARunningSnapshotWithoutProgressAndThenTreatItsRepeatsAsDuplicates() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 40, 10));
            Transition noProgress = apply(s, snap("t", TaskStatus.RUNNING, null, 20));
            assertThat(noProgress.outcome()).isEqualTo(Outcome.STORED_SILENTLY);
            assertThat(noProgress.newState().getMaxProgressPercent()).isEqualTo(40);
            Transition repeat = apply(noProgress.newState(), snap("t", TaskStatus.RUNNING, null, 30));
            assertThat(repeat.outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(repeat.newState()).isNull();
            assertThat(apply(noProgress.newState(), snap("t", TaskStatus.RUNNING, 40, 40)).outcome())
                    .as("progress equal to the maximum is not progress").isEqualTo(Outcome.STORED_SILENTLY);
        }

        @Test
        void shouldStoreHigherProgressSilentlyWhenProgressEventsAreOff() {
            TransitionRules quiet = TransitionRules.of(TransitionSettings.defaults().withProgressEvents(false));
            TaskState s = quiet.apply(null, snap("t", TaskStatus.RUNNING, 10, 10), NOW).newState();
            Transition t = quiet.apply(s, snap("t", TaskStatus.RUNNING, 60, 20), NOW);
            assertThat(t.outcome()).isEqualTo(Outcome.STORED_SILENTLY);
            assertThat(t.events()).isEmpty();
            assertThat(t.newState().getMaxProgressPercent()).isEqualTo(60);
            assertThat(quiet.apply(t.newState(), snap("t", TaskStatus.RUNNING, 50, 30), NOW).outcome())
                    .isEqualTo(Outcome.LOWER_PROGRESS);
        }

        @Test
        void shouldEmitProgressedWhenTheFirstProgressArrivesAfterStartedWithoutOne() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, null, 10));
            TaskEvent e = only(apply(s, snap("t", TaskStatus.RUNNING, 0, 20)));
            assertThat(e.getType()).isEqualTo(TaskEventType.PROGRESSED);
            assertThat(e.getPreviousProgressPercent()).isNull();
        }
    }

    @Nested
    class Terminal {

        @ParameterizedTest
        @EnumSource(value = TaskStatus.class, names = {"COMPLETED", "FAILED", "CANCELED"})
        void shouldEmitTheTerminalEventOnceAfterRunning(TaskStatus status) {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 50, 10));
            Transition t = apply(s, snap("t", status, 100, 90));
            TaskEvent e = only(t);
            assertThat(e.getType().name()).isEqualTo(status.name());
            assertThat(e.getPreviousStatus()).isEqualTo(TaskStatus.RUNNING);
            assertThat(e.getPreviousProgressPercent()).isEqualTo(50);
            assertThat(e.getDurationMs()).isEqualTo(89_000L);
            Transition repeat = apply(t.newState(), snap("t", status, 100, 120));
            assertThat(repeat.events()).isEmpty();
        }

        @Test
        void shouldEmitOnlyTheTerminalEventForATaskNeverSeenRunning() {
            TaskState pending = stateAfter(snap("t", TaskStatus.PENDING, null, 10));
            TaskEvent e = only(apply(pending, snap("t", TaskStatus.CANCELED, null, 20)));
            assertThat(e.getType()).isEqualTo(TaskEventType.CANCELED);
            assertThat(e.getBackfill()).isFalse();
        }

        @Test
        void shouldDropEverythingAfterTerminal() {
            TaskState done = stateAfter(snap("t", TaskStatus.COMPLETED, 100, 60));
            for (TaskStatus status : new TaskStatus[] {TaskStatus.RUNNING, TaskStatus.PENDING, TaskStatus.UNKNOWN}) {
                Transition t = apply(done, snap("t", status, 100, 90));
                assertThat(t.outcome()).isEqualTo(Outcome.AFTER_TERMINAL);
                assertThat(t.events()).isEmpty();
                assertThat(t.newState()).isNull();
            }
            Transition changedReason = apply(done, of("t", TaskStatus.COMPLETED, 100, 90).setFailReason("x").build());
            assertThat(changedReason.outcome()).isEqualTo(Outcome.AFTER_TERMINAL);
            assertThat(changedReason.newState()).isNull();
        }

        @Test
        void shouldCountAConflictingTerminalStatusOnceAndNeverEmitIt() {
            TaskState done = stateAfter(snap("t", TaskStatus.COMPLETED, 100, 60));
            Transition conflict = apply(done, snap("t", TaskStatus.FAILED, 100, 90));
            assertThat(conflict.outcome()).isEqualTo(Outcome.TERMINAL_CONFLICT);
            assertThat(conflict.events()).isEmpty();
            assertThat(conflict.newState().getStatus()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(conflict.newState().getTerminalConflicts()).isEqualTo(1);
            Transition again = apply(conflict.newState(), snap("t", TaskStatus.FAILED, 100, 120));
            assertThat(again.outcome()).as("the same conflict re-read").isEqualTo(Outcome.AFTER_TERMINAL);
            assertThat(again.newState()).isNull();
            Transition other = apply(conflict.newState(), snap("t", TaskStatus.CANCELED, 100, 150));
            assertThat(other.outcome()).isEqualTo(Outcome.TERMINAL_CONFLICT);
            assertThat(other.newState().getTerminalConflicts()).isEqualTo(2);
        }
    }

    @Nested
    class StaleAndDuplicates {

        @Test
        void shouldDropAStaleSnapshotWithoutWriting() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 10, 100));
            Transition t = apply(s, snap("t", TaskStatus.COMPLETED, 100, 99));
            assertThat(t.outcome()).isEqualTo(Outcome.STALE);
            assertThat(t.events()).isEmpty();
            assertThat(t.newState()).isNull();
        }

        @Test
        void shouldAcceptASnapshotObservedAtTheSameInstantAsTheStoredOne() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 10, 100));
            assertThat(apply(s, snap("t", TaskStatus.RUNNING, 20, 100)).outcome()).isEqualTo(Outcome.EMITTED);
        }

        @Test
        void shouldDropADuplicateWithoutWritingEvenWhenObservedLater() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 10, 100));
            Transition t = apply(s, snap("t", TaskStatus.RUNNING, 10, 200));
            assertThat(t.outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(t.newState()).isNull();
            assertThat(t.events()).isEmpty();
        }

        @Test
        void shouldIgnoreFieldsThatAreNotMeaningfulInTheDuplicateCheck() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 10, 100));
            TaskSnapshot sameButRaw = of("t", TaskStatus.RUNNING, 10, 200).setRawStatus("Running")
                    .setSource("elsewhere").setInstanceName("renamed").build();
            assertThat(apply(s, sameButRaw).outcome()).isEqualTo(Outcome.DUPLICATE);
        }

        @Test
        void shouldTreatANameChangeAsMeaningful() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 10, 100));
            Transition t = apply(s, of("t", TaskStatus.RUNNING, 10, 200).setName("Resize").build());
            assertThat(t.outcome()).isEqualTo(Outcome.STORED_SILENTLY);
            assertThat(t.newState().getName()).isEqualTo("Resize");
        }

        @Test
        void shouldRefreshLastSeenOnADroppedSnapshotOnlyWhenItIsDue() {
            TaskState s = stateAfter(snap("t", TaskStatus.RUNNING, 10, 100));
            Duration refresh = TransitionSettings.defaults().lastSeenRefreshInterval();
            assertThat(refresh).isEqualTo(Duration.ofHours(84));
            Transition early = rules.apply(s, snap("t", TaskStatus.RUNNING, 10, 200), NOW.plus(refresh).minusMillis(1));
            assertThat(early.newState()).isNull();
            Instant due = NOW.plus(refresh);
            Transition refreshed = rules.apply(s, snap("t", TaskStatus.RUNNING, 10, 200), due);
            assertThat(refreshed.outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(refreshed.events()).isEmpty();
            assertThat(refreshed.newState()).isEqualTo(TaskState.newBuilder(s).setLastSeenAt(due).build());
        }
    }

    @Nested
    class EventIds {

        @Test
        void shouldDeriveTheStartedIdFromKeyAndTypeOnly() {
            TaskEvent e = only(apply(null, snap("t", TaskStatus.RUNNING, 40, 60)));
            String name = "dds\u0000eu-de\u0000p1\u0000t\u0000STARTED";
            assertThat(e.getEventId()).isEqualTo(UUID.nameUUIDFromBytes(name.getBytes()).toString());
            assertThat(e.getEventId()).isEqualTo(TransitionRules.eventId(key("t"), TaskEventType.STARTED, 40));
        }

        @Test
        void shouldDeriveTheProgressedIdFromKeyTypeAndProgress() {
            String name = "dds\u0000eu-de\u0000p1\u0000t\u0000PROGRESSED\u000040";
            assertThat(TransitionRules.eventId(key("t"), TaskEventType.PROGRESSED, 40))
                    .isEqualTo(UUID.nameUUIDFromBytes(name.getBytes()).toString());
        }

        @Test
        void shouldGiveTheSameIdOnReplayAndDifferentIdsToDifferentTransitions() {
            TaskSnapshot s = snap("t", TaskStatus.RUNNING, 40, 60);
            assertThat(only(apply(null, s)).getEventId()).isEqualTo(only(apply(null, s)).getEventId());
            assertThat(TransitionRules.eventId(key("t"), TaskEventType.PROGRESSED, 40))
                    .isNotEqualTo(TransitionRules.eventId(key("t"), TaskEventType.PROGRESSED, 41))
                    .isNotEqualTo(TransitionRules.eventId(key("t"), TaskEventType.STARTED, 40))
                    .isNotEqualTo(TransitionRules.eventId(key("u"), TaskEventType.PROGRESSED, 40));
            assertThat(TransitionRules.eventId(key("t"), TaskEventType.COMPLETED, null))
                    .isNotEqualTo(TransitionRules.eventId(key("t"), TaskEventType.FAILED, null))
                    .isNotEqualTo(TransitionRules.eventId(key("u"), TaskEventType.COMPLETED, null));
        }

        @Test
        void shouldMintTheSameStartedIdWhenALostStoreSeesTheTaskAtAnotherProgress() {
            String before = only(apply(null, snap("t", TaskStatus.RUNNING, 10, 60))).getEventId();
            String afterLoss = only(apply(null, snap("t", TaskStatus.RUNNING, 70, 90))).getEventId();
            assertThat(afterLoss).isEqualTo(before);
        }

        @Test
        void shouldMintTheSameTerminalIdWhateverProgressTheTaskEndedWith() {
            for (TaskStatus terminal : List.of(TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELED)) {
                String at30 = only(apply(null, snap("t", terminal, 30, 60))).getEventId();
                String at100 = only(apply(null, snap("t", terminal, 100, 90))).getEventId();
                String without = only(apply(null, snap("t", terminal, null, 120))).getEventId();
                assertThat(at30).as(terminal.name()).isEqualTo(at100).isEqualTo(without);
            }
        }
    }

    @Nested
    class Settings {

        @Test
        void shouldRejectAStateRetentionNotAboveThirtyDays() {
            assertThatThrownBy(() -> TransitionSettings.defaults().withStateRetention(Duration.ofDays(30)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stateRetention: ")
                    .hasMessageContaining("30d");
            assertThat(TransitionSettings.defaults().withStateRetention(Duration.ofDays(30).plusMillis(1))
                    .stateRetention()).isGreaterThan(Duration.ofDays(30));
        }

        @Test
        void shouldRejectAnUnknownProcessingGuarantee() {
            assertThatThrownBy(() -> TransitionSettings.defaults().withProcessingGuarantee("exactly_once"))
                    .hasMessageContaining("processingGuarantee: ");
            assertThat(TransitionSettings.defaults().withProcessingGuarantee("AT_LEAST_ONCE").processingGuarantee())
                    .isEqualTo("at_least_once");
        }

        @Test
        void shouldRejectNegativeBackfillThresholdAndEmptyApplicationId() {
            assertThatThrownBy(() -> TransitionSettings.defaults().withBackfillThreshold(Duration.ofSeconds(-1)))
                    .hasMessageContaining("backfillThreshold: ");
            assertThatThrownBy(() -> TransitionSettings.defaults().withApplicationId(" "))
                    .hasMessageContaining("applicationId: ");
        }
    }
}
