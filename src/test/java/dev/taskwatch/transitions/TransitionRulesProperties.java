package dev.taskwatch.transitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskState;
import dev.taskwatch.avro.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.serialization.Serde;

/**
 * The invariants of docs/design.md#transition-rules over any sequence of snapshots of one task, in any order, with any duplication:
 * at most one STARTED, at most one terminal event, nothing after the terminal one, STARTED before PROGRESSED,
 * progress strictly increasing over STARTED and PROGRESSED, deterministic and unique event ids; and, for sequences a
 * real task can produce (its status never goes back once terminal; replicas may lag in progress and disagree on the
 * terminal status), a terminal event whenever a terminal snapshot was delivered.
 *
 * <p>The state is passed through the store serde between snapshots, as the store and its changelog do.
 */
class TransitionRulesProperties {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Serde<TaskState> STATE_SERDE = StoreSerdes.taskState();
    private static final List<TaskStatus> TERMINALS = List.of(TaskStatus.COMPLETED, TaskStatus.FAILED,
            TaskStatus.CANCELED);

    // ---- any sequence at all: safety invariants and determinism ------------------------------------------------

    @Property(tries = 1000)
    void anySequenceKeepsTheSafetyInvariants(@ForAll("anySnapshots") List<TaskSnapshot> delivered,
            @ForAll boolean progressEvents) {
        TransitionRules rules = rules(progressEvents);
        List<TaskEvent> events = fold(rules, delivered);
        assertSafety(events);
        assertThat(fold(rules, delivered)).as("a replay yields the same events").isEqualTo(events);
        if (!progressEvents) {
            assertThat(events).noneMatch(e -> e.getType() == TaskEventType.PROGRESSED);
        }
    }

    @Provide
    Arbitrary<List<TaskSnapshot>> anySnapshots() {
        Arbitrary<TaskSnapshot> one = Combinators.combine(
                Arbitraries.of(TaskStatus.values()),
                Arbitraries.integers().between(0, 100).injectNull(0.2),
                Arbitraries.integers().between(0, 20),
                Arbitraries.of("CreateInstance", "Resize"),
                Arbitraries.of("disk full", "quota").injectNull(0.6),
                Arbitraries.of("ACTIVE", "BACKING_UP").injectNull(0.6))
                .as((status, progress, t, name, reason, instanceStatus) -> Snapshots.of("t", status, progress, 0)
                        .setObservedAt(T0.plusSeconds(t)).setName(name).setFailReason(reason)
                        .setInstanceStatus(instanceStatus)
                        .setEndedAt(TaskStatuses.isTerminal(status) ? T0.plusSeconds(t) : null).build());
        // Few distinct snapshots, many picks: duplicates and reorderings are the norm.
        return one.list().ofMinSize(1).ofMaxSize(8).flatMap(pool -> Arbitraries.integers().between(0, pool.size() - 1)
                .list().ofMaxSize(40).map(picks -> picks.stream().map(pool::get).toList()));
    }

    // ---- sequences a real task produces: liveness of the terminal event ---------------------------------------

    /** What polling a real task yields: observations in time order, delivered in any order, any number of times. */
    record Scenario(List<TaskSnapshot> observations, List<TaskSnapshot> delivered) {}

    @Property(tries = 1000)
    void aDeliveredTerminalSnapshotAlwaysYieldsExactlyOneTerminalEvent(@ForAll("realistic") Scenario scenario) {
        List<TaskEvent> events = fold(rules(true), scenario.delivered());
        assertSafety(events);
        boolean terminalDelivered = scenario.delivered().stream().anyMatch(s -> TaskStatuses.isTerminal(
                s.getStatus()));
        long terminalEvents = events.stream().filter(e -> isTerminal(e.getType())).count();
        assertThat(terminalEvents).isEqualTo(terminalDelivered ? 1 : 0);
    }

    @Property(tries = 500)
    void inOrderDeliveryWithDuplicatesEmitsStartedForEveryTaskSeenRunningBeforeItEnded(
            @ForAll("realistic") Scenario scenario) {
        List<TaskSnapshot> inOrder = new ArrayList<>();
        for (TaskSnapshot s : scenario.observations()) {
            inOrder.add(s);
            inOrder.add(s);
        }
        List<TaskEvent> events = fold(rules(true), inOrder);
        assertSafety(events);
        boolean sawRunning = scenario.observations().stream().anyMatch(s -> s.getStatus() == TaskStatus.RUNNING);
        assertThat(events.stream().filter(e -> e.getType() == TaskEventType.STARTED).count())
                .isEqualTo(sawRunning ? 1 : 0);
    }

    /**
     * A store lost (or rebuilt from an incomplete changelog) at any point of a real task's history: the events after
     * the loss may repeat STARTED or the terminal event, but a repeated one keeps its id, whatever progress the task
     * shows by then, so a consumer deduplicating on {@code event_id} acts once per STARTED and terminal event.
     */
    @Property(tries = 500)
    void aLostStoreRepeatsStartedAndTerminalEventsOnlyWithTheSameIds(@ForAll("realistic") Scenario scenario,
            @ForAll("fractions") double lossAt) {
        List<TaskSnapshot> delivered = scenario.delivered();
        int cut = (int) Math.round(lossAt * delivered.size());
        TransitionRules rules = rules(true);
        List<TaskEvent> before = fold(rules, delivered.subList(0, cut));
        List<TaskEvent> after = fold(rules, delivered.subList(cut, delivered.size()));
        for (TaskEvent first : before) {
            for (TaskEvent again : after) {
                boolean sameTransition = first.getType() == again.getType()
                        && (first.getType() != TaskEventType.PROGRESSED
                                || first.getProgressPercent().equals(again.getProgressPercent()));
                assertThat(first.getEventId().equals(again.getEventId())).as("%s and %s", first, again)
                        .isEqualTo(sameTransition);
            }
        }
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<Scenario> realistic() {
        Arbitrary<Integer> pending = Arbitraries.integers().between(0, 3);
        Arbitrary<List<Integer>> progress = Arbitraries.integers().between(0, 100).injectNull(0.1).list()
                .ofMaxSize(8);
        Arbitrary<TaskStatus> terminal = Arbitraries.of(TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELED,
                TaskStatus.RUNNING); // RUNNING: the task has not ended (yet)
        Arbitrary<Integer> terminalReads = Arbitraries.integers().between(1, 4);
        Arbitrary<Long> noise = Arbitraries.longs(); // bits: which reads lag, which terminal reads conflict
        Arbitrary<List<Integer>> picks = Arbitraries.integers().between(0, 1000).list().ofMaxSize(40);
        return Combinators.combine(pending, progress, terminal, terminalReads, noise, picks)
                .as(TransitionRulesProperties::scenario);
    }

    private static Scenario scenario(int pendingReads, List<Integer> progressReads, TaskStatus end, int terminalReads,
            long noise, List<Integer> picks) {
        List<TaskSnapshot> observations = new ArrayList<>();
        int t = 0;
        for (int i = 0; i < pendingReads; i++) {
            observations.add(read(TaskStatus.PENDING, null, ++t, null));
        }
        List<Integer> truth = new ArrayList<>(progressReads.stream().filter(p -> p != null).sorted().toList());
        int bit = 0;
        for (int i = 0; i < progressReads.size(); i++) {
            Integer p = progressReads.get(i) == null ? null : truth.remove(0);
            boolean lag = ((noise >>> (bit++ % 64)) & 1) == 1 && p != null && p > 0;
            // A lagging replica reports an older, lower progress; the status is still RUNNING.
            Integer reported = lag ? Integer.valueOf(p / 2) : p;
            observations.add(read(TaskStatus.RUNNING, reported, ++t, null));
        }
        if (TaskStatuses.isTerminal(end)) {
            for (int i = 0; i < terminalReads; i++) {
                boolean conflict = i > 0 && ((noise >>> (bit++ % 64)) & 1) == 1;
                TaskStatus status = conflict ? TERMINALS.get((TERMINALS.indexOf(end) + 1) % 3) : end;
                observations.add(read(status, 100, ++t, T0.plusSeconds(t)));
            }
        }
        List<TaskSnapshot> delivered = observations.isEmpty() ? List.of()
                : picks.stream().map(i -> observations.get(i % observations.size())).toList();
        return new Scenario(observations, delivered);
    }

    private static TaskSnapshot read(TaskStatus status, Integer progress, int t, Instant ended) {
        return Snapshots.of("t", status, progress, 0).setObservedAt(T0.plusSeconds(t)).setEndedAt(ended).build();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static TransitionRules rules(boolean progressEvents) {
        return TransitionRules.of(TransitionSettings.defaults().withProgressEvents(progressEvents)
                .withBackfillThreshold(Duration.ofMinutes(10)));
    }

    /** Applies the snapshots in order, keeping the state the way the processor keeps it (through the store serde). */
    static List<TaskEvent> fold(TransitionRules rules, List<TaskSnapshot> delivered) {
        List<TaskEvent> events = new ArrayList<>();
        byte[] stored = null;
        Instant now = T0;
        for (TaskSnapshot s : delivered) {
            now = now.plusSeconds(3600); // wall clock moves on, so last-seen refreshes happen too
            TaskState previous = STATE_SERDE.deserializer().deserialize("changelog", stored);
            Transition t = rules.apply(previous, s, now);
            if (t.newState() != null) {
                stored = STATE_SERDE.serializer().serialize("changelog", t.newState());
            }
            if (t.outcome().dropped()) {
                assertThat(t.events()).isEmpty();
            }
            events.addAll(t.events());
        }
        return events;
    }

    static void assertSafety(List<TaskEvent> events) {
        long started = events.stream().filter(e -> e.getType() == TaskEventType.STARTED).count();
        assertThat(started).as("STARTED events").isLessThanOrEqualTo(1);
        List<TaskEvent> terminal = events.stream().filter(e -> isTerminal(e.getType())).toList();
        assertThat(terminal).as("terminal events").hasSizeLessThanOrEqualTo(1);
        if (!terminal.isEmpty()) {
            assertThat(events.get(events.size() - 1)).as("nothing after the terminal event").isSameAs(terminal.get(0));
        }
        Integer last = null;
        boolean startedSeen = false;
        for (TaskEvent e : events) {
            if (e.getType() == TaskEventType.STARTED) {
                startedSeen = true;
                last = e.getProgressPercent();
            } else if (e.getType() == TaskEventType.PROGRESSED) {
                assertThat(startedSeen).as("STARTED precedes PROGRESSED").isTrue();
                assertThat(e.getProgressPercent()).as("PROGRESSED has a progress").isNotNull();
                if (last != null) {
                    assertThat(e.getProgressPercent()).as("PROGRESSED strictly increasing").isGreaterThan(last);
                }
                last = e.getProgressPercent();
            }
        }
        Set<String> ids = new HashSet<>();
        for (TaskEvent e : events) {
            TaskKey key = new TaskKey(e.getService(), e.getRegion(), e.getProjectId(), e.getTaskId());
            assertThat(e.getEventId()).isEqualTo(TransitionRules.eventId(key, e.getType(), e.getProgressPercent()));
            assertThat(ids.add(e.getEventId())).as("event ids unique").isTrue();
        }
    }

    private static boolean isTerminal(TaskEventType type) {
        return type == TaskEventType.COMPLETED || type == TaskEventType.FAILED || type == TaskEventType.CANCELED;
    }
}
