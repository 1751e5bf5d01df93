package dev.taskwatch.transitions;

import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.model.TaskKeys;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskState;
import dev.taskwatch.avro.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The transition rules of docs/design.md#transition-rules as one pure function: {@link #apply(TaskState, TaskSnapshot, Instant)}.
 * No I/O, no clock: the caller passes the wall-clock time, which only feeds the retention bookkeeping ({@code
 * last_seen_at}), never an event. Same inputs, same outputs, so a replay after a crash yields the same events with the
 * same ids. STARTED and terminal ids depend on the task and the type only, so even a lost or rebuilt store that re-sees
 * a task at another progress gives them the same ids ({@link #eventId}).
 *
 * <p>Rules, in the order they are checked:
 * <ol>
 *   <li>Stale: {@code observed_at} before the stored one: dropped ({@link Outcome#STALE}).</li>
 *   <li>Duplicate: status, progress, ended_at, fail_reason, instance_status and name all equal to the last accepted
 *       snapshot: dropped ({@link Outcome#DUPLICATE}). "Progress" is the last accepted progress, not the maximum, so
 *       a run of snapshots without progress after one with progress stays a run of duplicates.</li>
 *   <li>After terminal: anything after a stored terminal status is dropped; a different terminal status is a conflict,
 *       counted once per distinct conflicting status in a row ({@link Outcome#TERMINAL_CONFLICT}), never emitted.</li>
 *   <li>RUNNING: the first RUNNING emits STARTED (only STARTED, even when it already carries a progress: the event has
 *       that progress in {@code progress_percent}, and later PROGRESSED events must exceed it). A later RUNNING with a
 *       progress above the stored maximum emits PROGRESSED (if progress events are on); below it, it is dropped
 *       ({@link Outcome#LOWER_PROGRESS}) and the maximum stays; equal or absent progress with other changes is stored
 *       silently.</li>
 *   <li>Terminal (COMPLETED, FAILED, CANCELED) on a non-terminal or new task: emits exactly that event and nothing
 *       else, also when the task was never seen RUNNING (no STARTED is invented). A task seen for the first time
 *       already terminal whose {@code ended_at} lies more than the backfill threshold before {@code observed_at} gets
 *       {@code backfill=true}; without an {@code ended_at} it is not marked.</li>
 *   <li>PENDING and UNKNOWN are stored silently.</li>
 * </ol>
 *
 * <p>Consequences (proved by {@code TransitionRulesProperties}): per task at most one STARTED and at most one terminal
 * event, none after the terminal one, STARTED's progress and the PROGRESSED values strictly increasing.
 *
 * <p>Retention bookkeeping: an accepted snapshot stores {@code last_seen_at = now}. A dropped one writes nothing,
 * unless the stored {@code last_seen_at} is older than {@link TransitionSettings#lastSeenRefreshInterval()}, in which
 * case the unchanged state is written back with a fresh {@code last_seen_at} (at most one write per task per
 * retention/10).
 */
public final class TransitionRules {

    private final Duration backfillThreshold;
    private final boolean progressEvents;
    private final Duration lastSeenRefreshInterval;

    public TransitionRules(Duration backfillThreshold, boolean progressEvents, Duration lastSeenRefreshInterval) {
        this.backfillThreshold = Objects.requireNonNull(backfillThreshold, "backfillThreshold");
        this.progressEvents = progressEvents;
        this.lastSeenRefreshInterval = Objects.requireNonNull(lastSeenRefreshInterval, "lastSeenRefreshInterval");
    }

    public static TransitionRules of(TransitionSettings settings) {
        return new TransitionRules(settings.backfillThreshold(), settings.progressEvents(),
                settings.lastSeenRefreshInterval());
    }

    /**
     * Applies one snapshot to the stored state of its task.
     *
     * @param previous the stored state, or null for a task not seen before (or deleted by retention)
     * @param snapshot the incoming snapshot (key fields already validated)
     * @param now      wall-clock time of processing, for {@code last_seen_at} only
     */
    public Transition apply(TaskState previous, TaskSnapshot snapshot, Instant now) {
        if (previous == null) {
            return firstSeen(snapshot, now);
        }
        if (snapshot.getObservedAt().isBefore(previous.getObservedAt())) {
            return dropped(Outcome.STALE, previous, now);
        }
        if (isDuplicate(previous, snapshot)) {
            return dropped(Outcome.DUPLICATE, previous, now);
        }
        if (TaskStatuses.isTerminal(previous.getStatus())) {
            return afterTerminal(previous, snapshot, now);
        }
        TaskStatus status = snapshot.getStatus();
        if (status == TaskStatus.RUNNING) {
            return running(previous, snapshot, now);
        }
        if (TaskStatuses.isTerminal(status)) {
            return new Transition(Outcome.EMITTED, accept(previous, snapshot, now).build(),
                    List.of(event(terminalType(status), previous, snapshot, false)));
        }
        return new Transition(Outcome.STORED_SILENTLY, accept(previous, snapshot, now).build(), List.of());
    }

    private Transition firstSeen(TaskSnapshot snapshot, Instant now) {
        TaskStatus status = snapshot.getStatus();
        TaskState.Builder state = accept(null, snapshot, now);
        if (status == TaskStatus.RUNNING) {
            return new Transition(Outcome.EMITTED, state.setStartedEmitted(true).build(),
                    List.of(event(TaskEventType.STARTED, null, snapshot, false)));
        }
        if (TaskStatuses.isTerminal(status)) {
            Instant ended = snapshot.getEndedAt();
            boolean backfill = ended != null && ended.isBefore(snapshot.getObservedAt().minus(backfillThreshold));
            return new Transition(Outcome.EMITTED, state.build(),
                    List.of(event(terminalType(status), null, snapshot, backfill)));
        }
        return new Transition(Outcome.STORED_SILENTLY, state.build(), List.of());
    }

    private Transition running(TaskState previous, TaskSnapshot snapshot, Instant now) {
        Integer progress = snapshot.getProgressPercent();
        Integer max = previous.getMaxProgressPercent();
        if (!previous.getStartedEmitted()) {
            return new Transition(Outcome.EMITTED, accept(previous, snapshot, now).setStartedEmitted(true).build(),
                    List.of(event(TaskEventType.STARTED, previous, snapshot, false)));
        }
        if (progress != null && max != null && progress < max) {
            return dropped(Outcome.LOWER_PROGRESS, previous, now);
        }
        TaskState next = accept(previous, snapshot, now).build();
        if (progress != null && (max == null || progress > max) && progressEvents) {
            return new Transition(Outcome.EMITTED, next,
                    List.of(event(TaskEventType.PROGRESSED, previous, snapshot, false)));
        }
        return new Transition(Outcome.STORED_SILENTLY, next, List.of());
    }

    private Transition afterTerminal(TaskState previous, TaskSnapshot snapshot, Instant now) {
        TaskStatus status = snapshot.getStatus();
        if (TaskStatuses.isTerminal(status) && status != previous.getStatus() && status != previous.getLastConflictingStatus()) {
            TaskState counted = TaskState.newBuilder(previous)
                    .setTerminalConflicts(previous.getTerminalConflicts() + 1)
                    .setLastConflictingStatus(status)
                    .setLastSeenAt(now)
                    .build();
            return new Transition(Outcome.TERMINAL_CONFLICT, counted, List.of());
        }
        return dropped(Outcome.AFTER_TERMINAL, previous, now);
    }

    /** Nothing accepted: no write, unless the stored last-seen time is due for a refresh. */
    private Transition dropped(Outcome outcome, TaskState previous, Instant now) {
        boolean refresh = !previous.getLastSeenAt().plus(lastSeenRefreshInterval).isAfter(now);
        TaskState state = refresh ? TaskState.newBuilder(previous).setLastSeenAt(now).build() : null;
        return new Transition(outcome, state, List.of());
    }

    static boolean isDuplicate(TaskState stored, TaskSnapshot snapshot) {
        return stored.getStatus() == snapshot.getStatus()
                && Objects.equals(stored.getProgressPercent(), snapshot.getProgressPercent())
                && Objects.equals(stored.getEndedAt(), snapshot.getEndedAt())
                && Objects.equals(stored.getFailReason(), snapshot.getFailReason())
                && Objects.equals(stored.getInstanceStatus(), snapshot.getInstanceStatus())
                && Objects.equals(stored.getName(), snapshot.getName());
    }

    /** The state after accepting {@code snapshot}; the maximum progress never decreases. */
    private static TaskState.Builder accept(TaskState previous, TaskSnapshot snapshot, Instant now) {
        Integer progress = snapshot.getProgressPercent();
        Integer max = previous == null ? null : previous.getMaxProgressPercent();
        Integer newMax = max;
        if (progress != null && (max == null || progress > max)) {
            newMax = progress;
        }
        Instant created = snapshot.getCreatedAt() != null ? snapshot.getCreatedAt()
                : previous == null ? null : previous.getCreatedAt();
        return TaskState.newBuilder()
                .setStatus(snapshot.getStatus())
                .setProgressPercent(progress)
                .setMaxProgressPercent(newMax)
                .setName(snapshot.getName())
                .setCreatedAt(created)
                .setEndedAt(snapshot.getEndedAt())
                .setFailReason(snapshot.getFailReason())
                .setInstanceStatus(snapshot.getInstanceStatus())
                .setObservedAt(snapshot.getObservedAt())
                .setLastSeenAt(now)
                .setStartedEmitted(previous != null && previous.getStartedEmitted())
                .setTerminalConflicts(previous == null ? 0 : previous.getTerminalConflicts())
                .setLastConflictingStatus(previous == null ? null : previous.getLastConflictingStatus());
    }

    private static TaskEvent event(TaskEventType type, TaskState previous, TaskSnapshot s, boolean backfill) {
        boolean terminal = type != TaskEventType.STARTED && type != TaskEventType.PROGRESSED;
        Instant created = s.getCreatedAt() != null ? s.getCreatedAt()
                : previous == null ? null : previous.getCreatedAt();
        Instant ended = terminal ? s.getEndedAt() : null;
        Instant occurred = switch (type) {
            case STARTED -> created != null ? created : s.getObservedAt();
            case COMPLETED, FAILED, CANCELED -> ended != null ? ended : s.getObservedAt();
            default -> s.getObservedAt();
        };
        Long duration = terminal && created != null && ended != null
                ? Duration.between(created, ended).toMillis() : null;
        return TaskEvent.newBuilder()
                .setEventId(eventId(keyOf(s), type, s.getProgressPercent()))
                .setType(type)
                .setService(s.getService())
                .setRegion(s.getRegion())
                .setProjectId(s.getProjectId())
                .setTaskId(s.getTaskId())
                .setName(s.getName())
                .setStatus(s.getStatus())
                .setPreviousStatus(previous == null ? null : previous.getStatus())
                .setProgressPercent(s.getProgressPercent())
                .setPreviousProgressPercent(previous == null ? null : previous.getMaxProgressPercent())
                .setInstanceId(s.getInstanceId())
                .setInstanceName(s.getInstanceName())
                .setFailReason(s.getFailReason())
                .setCreatedAt(created)
                .setEndedAt(ended)
                .setDurationMs(duration)
                .setOccurredAt(occurred)
                .setDetectedAt(s.getObservedAt())
                .setBackfill(backfill)
                .build();
    }

    /**
     * The deterministic event id: a name-based (version 3) UUID of the key fields and the type, plus the progress for
     * PROGRESSED only, joined with NUL separators (which cannot occur in the ids the APIs return) so that no two
     * different inputs share a name.
     *
     * <p>STARTED and the terminal events happen once per task, so their id names the task and the type and nothing
     * else: a store that was rebuilt or lost and sees the task again at another progress (or with another end time)
     * mints the same id, and a consumer deduplicating on {@code event_id} acts once. A PROGRESSED event is one of
     * many per task, told apart by its progress.
     *
     * @param progressPercent the event's progress; read for PROGRESSED only
     */
    public static String eventId(TaskKey key, TaskEventType type, Integer progressPercent) {
        String name = String.join("\u0000", key.getService(), key.getRegion(), key.getProjectId(), key.getTaskId(),
                type.name());
        if (type == TaskEventType.PROGRESSED) {
            name = name + "\u0000" + (progressPercent == null ? "" : progressPercent.toString());
        }
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static TaskKey keyOf(TaskSnapshot s) {
        return TaskKeys.of(s);
    }

    private static TaskEventType terminalType(TaskStatus status) {
        return switch (status) {
            case COMPLETED -> TaskEventType.COMPLETED;
            case FAILED -> TaskEventType.FAILED;
            case CANCELED -> TaskEventType.CANCELED;
            default -> throw new IllegalArgumentException("Not a terminal status: " + status);
        };
    }
}
