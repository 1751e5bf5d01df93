package dev.taskwatch.poller;

import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.OffsetReadingProbe;
import dev.taskwatch.taskcenter.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the poller remembers of one target between cycles; pure (no I/O, no clock). It is what makes a cycle cost what
 * changed rather than what the history holds:
 * <ul>
 *   <li>{@link #running()}: the tasks last seen non-terminal (Running, Pending, unknown statuses), with their
 *       creation time, the fingerprint of their last published snapshot and when it was published, and the instance
 *       status last read from an answer that carries one. A task stays here until a terminal snapshot of it is
 *       published, however old it is (bounded by the API's history).</li>
 *   <li>The fingerprints of the terminal snapshots published since the last complete sweep, so that a window read
 *       again (the NEW window's margin, a sweep) does not publish a finished task twice. A complete sweep keeps only
 *       what it saw, which bounds the set by the lookback.</li>
 *   <li>{@link #listedThrough()}: the start of the last complete listing of new tasks. Every task created before
 *       it (minus the visibility margin) has been seen by a complete listing.</li>
 * </ul>
 * Updated only with snapshots whose publication the sink acknowledged: a failed publish leaves the memory as it was,
 * so the next cycle reads the same tasks again.
 *
 * <p>A restart keeps only what a {@link TargetPosition} holds (the running tasks and {@code listedThrough}): the
 * fingerprints are gone, so the first cycle after a restart may publish once more what it reads.
 */
final class TargetMemory {

    /**
     * A non-terminal task; {@code fingerprint} 0 and {@code publishedAt} null until a snapshot of it is published;
     * {@code instanceStatus} as last read from an answer that carries the field (see {@link #fingerprint}).
     */
    record Tracked(Instant createdAt, long fingerprint, Instant publishedAt, int notFound, String instanceStatus) {}

    private final Map<String, Tracked> running = new HashMap<>();
    private Set<Long> finished = new HashSet<>();
    /** The fingerprints of the generation before {@link #finished} (see {@link #rotate}). */
    private Set<Long> previousFinished = new HashSet<>();
    private Instant generationStart;
    private Instant listedThrough;
    private Instant lastSweep;
    private ListingPlan.Continuation continuation;
    private TargetPosition stored;
    /** The window start back to which extending the NEW listing proved to cost more than a page; null if none. */
    private Instant extensionTooLarge;
    /** How the server reads {@code offset}; null until a probe decided it. */
    private OffsetReading offsetReading;
    /** A verdict without {@code total_count} behind it, waiting for a second probe to agree. */
    private OffsetReadingProbe.Verdict unconfirmed;

    /** The non-terminal tasks, by id. */
    Map<String, Tracked> running() {
        return Collections.unmodifiableMap(running);
    }

    /** Task id to creation time of the non-terminal tasks (the content of a position). */
    Map<String, Instant> runningCreatedAt() {
        Map<String, Instant> out = new HashMap<>(running.size() * 2);
        running.forEach((id, t) -> out.put(id, t.createdAt()));
        return out;
    }

    /** Start of the last complete listing of new tasks; null when the history was never read. */
    Instant listedThrough() {
        return listedThrough;
    }

    Instant lastSweep() {
        return lastSweep;
    }

    int finishedRemembered() {
        return finished.size() + previousFinished.size();
    }

    /**
     * Keeps the finished fingerprints bounded when no sweep completes (a target busy for weeks never sweeps): every
     * {@code lookback} the current set becomes the previous one and the one before is dropped, so a fingerprint is
     * kept between one and two lookbacks. Only a sweep reads tasks that old again, and it may then publish a few
     * finished tasks once more (the topology drops them).
     */
    void rotate(Instant now, Duration lookback) {
        if (generationStart == null) {
            generationStart = now;
        } else if (!now.isBefore(generationStart.plus(lookback))) {
            previousFinished = finished;
            finished = new HashSet<>();
            generationStart = now;
        }
    }

    /** Resumes from a stored position: its running tasks are known, its listing time is where new tasks start. */
    void restore(TargetPosition position, Instant now) {
        position.running().forEach((id, created) -> running.put(id, new Tracked(created, 0, null, 0, null)));
        listedThrough = position.listedAt();
        lastSweep = now;
        stored = position;
    }

    /**
     * The position of {@code target} to store now: after a complete listing, when the running tasks changed since
     * the last stored one or that one is {@code refresh} old; empty otherwise.
     */
    Optional<TargetPosition> positionToStore(Target target, Duration refresh) {
        if (listedThrough == null || continuation != null) {
            return Optional.empty();
        }
        Map<String, Instant> now = runningCreatedAt();
        if (stored != null && stored.running().equals(now)
                && Duration.between(stored.listedAt(), listedThrough).compareTo(refresh) < 0) {
            return Optional.empty();
        }
        return Optional.of(TargetPosition.of(target, listedThrough, now));
    }

    /** Records that {@code position} was stored. */
    void positionStored(TargetPosition position) {
        stored = position;
    }

    /**
     * The fingerprint under which {@code s} is compared and remembered. A snapshot read from an answer that has no
     * instance-status field ({@code carriesInstanceStatus} false: openGauss's job detail) does not say the status is
     * gone, so it is fingerprinted with the status last read for the task from an answer that has the field (its
     * list). A list element and a by-id answer of the same state then agree, and a change of any field the by-id
     * answer carries still shows. The snapshot itself is published as read, without an invented status.
     */
    long fingerprint(TaskSnapshot s, boolean carriesInstanceStatus) {
        if (carriesInstanceStatus || s.getInstanceStatus() != null) {
            return SnapshotFingerprint.of(s);
        }
        Tracked t = running.get(s.getTaskId());
        return SnapshotFingerprint.of(s, t == null ? null : t.instanceStatus());
    }

    /**
     * Whether {@code s} (read from an answer that carries the instance status) says something not yet published: a
     * terminal snapshot not published before, a non-terminal one whose content changed, or a non-terminal one last
     * published {@code refresh} ago or longer (so that downstream state cannot drift from the API's while a task runs
     * for hours).
     */
    boolean changed(TaskSnapshot s, Instant now, Duration refresh) {
        return changed(s, fingerprint(s, true), now, refresh);
    }

    /** {@link #changed(TaskSnapshot, Instant, Duration)} with the snapshot's {@link #fingerprint} already computed. */
    boolean changed(TaskSnapshot s, long fingerprint, Instant now, Duration refresh) {
        if (TaskStatuses.isTerminal(s.getStatus())) {
            return !finished.contains(fingerprint) && !previousFinished.contains(fingerprint);
        }
        Tracked t = running.get(s.getTaskId());
        return t == null || t.publishedAt() == null || t.fingerprint() != fingerprint
                || !now.isBefore(t.publishedAt().plus(refresh));
    }

    /**
     * Records snapshots read (from answers that carry the instance status) and acknowledged by the sink:
     * {@code published} is the subset that was published (at {@code now}); the others were unchanged.
     */
    void record(List<TaskSnapshot> read, Collection<TaskSnapshot> published, Instant now) {
        record(read, read.stream().mapToLong(s -> fingerprint(s, true)).toArray(), published, now, true);
    }

    /**
     * {@link #record(List, Collection, Instant)} with the {@link #fingerprint}s of {@code read} already computed (in
     * its order): a fingerprint is built once per snapshot read, not once per question asked of it.
     * {@code carriesInstanceStatus} says whether the answer had the field, i.e. whether its instance status is news.
     */
    void record(List<TaskSnapshot> read, long[] fingerprints, Collection<TaskSnapshot> published, Instant now,
            boolean carriesInstanceStatus) {
        Set<String> publishedIds = new HashSet<>();
        for (TaskSnapshot s : published) {
            publishedIds.add(s.getTaskId());
        }
        for (int i = 0; i < read.size(); i++) {
            TaskSnapshot s = read.get(i);
            String id = s.getTaskId();
            boolean wasPublished = publishedIds.contains(id);
            if (TaskStatuses.isTerminal(s.getStatus())) {
                running.remove(id);
                finished.add(fingerprints[i]);
            } else {
                Tracked before = running.get(id);
                Instant created = s.getCreatedAt() != null ? s.getCreatedAt()
                        : before != null ? before.createdAt() : s.getObservedAt();
                String instanceStatus = carriesInstanceStatus || s.getInstanceStatus() != null
                        ? s.getInstanceStatus() : before != null ? before.instanceStatus() : null;
                running.put(id, wasPublished || before == null
                        ? new Tracked(created, fingerprints[i], wasPublished ? now : null, 0, instanceStatus)
                        : new Tracked(created, before.fingerprint(), before.publishedAt(), 0, instanceStatus));
            }
        }
    }

    /**
     * A known task answered "not found" by id; after {@code limit} such answers in a row it is forgotten (it left the
     * API's history or was deleted) and true is returned. A freshly created job can answer "not found" for a while,
     * and one answer is not proof.
     */
    boolean notFound(String taskId, int limit) {
        Tracked t = running.get(taskId);
        if (t == null) {
            return false;
        }
        if (t.notFound() + 1 >= limit) {
            running.remove(taskId);
            return true;
        }
        running.put(taskId, new Tracked(t.createdAt(), t.fingerprint(), t.publishedAt(), t.notFound() + 1,
                t.instanceStatus()));
        return false;
    }

    /** Forgets the running tasks created before {@code floor} (they left the API's history); returns their ids. */
    List<String> forgetCreatedBefore(Instant floor) {
        List<String> gone = running.entrySet().stream().filter(e -> e.getValue().createdAt().isBefore(floor))
                .map(Map.Entry::getKey).sorted().toList();
        gone.forEach(running::remove);
        return gone;
    }

    /** Where extending the NEW listing back to the oldest running task proved too large (see {@link ListingPlan}). */
    Instant extensionTooLarge() {
        return extensionTooLarge;
    }

    void extensionTooLarge(Instant from) {
        extensionTooLarge = from;
    }

    /** How the server reads {@code offset}, once a probe decided it; null before. */
    OffsetReading offsetReading() {
        return offsetReading;
    }

    /**
     * Learns from an offset probe: a verdict backed by {@code total_count} decides the reading; one without (DDS lists
     * often have none) decides it only when a second one agrees.
     */
    void offsetProbed(OffsetReadingProbe.Verdict verdict) {
        if (verdict.decided().isEmpty()) {
            return;
        }
        if (!verdict.needsConfirmation() || verdict.agreesWith(unconfirmed)) {
            offsetReading = verdict.reading();
            unconfirmed = null;
        } else {
            unconfirmed = verdict;
        }
    }

    /** The main listing a cycle stopped at the page guard, to be continued; null when the last one completed. */
    ListingPlan.Continuation continuation() {
        return continuation;
    }

    void continueLater(ListingPlan.Continuation next) {
        continuation = next;
    }

    /** A complete listing of new tasks started at {@code start}. */
    void listed(Instant start) {
        listedThrough = start;
    }

    /**
     * A complete sweep (or first history read) started at {@code start} saw the terminal snapshots with
     * {@code fingerprints}: only those are remembered from now on, which drops the tasks that left the lookback.
     */
    void swept(Instant start, Set<Long> fingerprints) {
        listedThrough = start;
        lastSweep = start;
        finished = new HashSet<>(fingerprints);
        previousFinished = new HashSet<>();
        generationStart = start;
    }
}
