package dev.taskwatch.poller;

import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.poller.PlanRequest.GetTask;
import dev.taskwatch.poller.PlanRequest.ListPage;
import dev.taskwatch.taskcenter.TaskPage;
import dev.taskwatch.taskcenter.TimeWindow;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The last stage of a {@link ListingPlan}: the known non-terminal tasks that the cycle's listings did not show, read
 * one by one (oldest first), then the watched ids. A service without get-by-id reads a known task through its list API
 * instead: the one-second creation-time window around the task's creation. Pure.
 */
final class KnownTaskReads {

    private final TargetMemory memory;
    private final ListingApi api;
    /** The plan's set of ids the cycle showed: a read task joins it. */
    private final Set<String> seen;
    private final Deque<GetTask> gets = new ArrayDeque<>();
    /** How far the read of the current task through its creation second has paged. */
    private int byCreationOffset;

    KnownTaskReads(TargetMemory memory, ListingApi api, Set<String> seen) {
        this.memory = memory;
        this.api = api;
        this.seen = seen;
    }

    /**
     * Queues the reads: each known non-terminal task not seen, not watched and {@code due}, oldest first; then (with
     * get-by-id) each watched id not seen.
     */
    void plan(List<WatchRequest> watches, Predicate<String> due) {
        Set<String> watched = new HashSet<>();
        for (WatchRequest w : watches) {
            watched.add(w.getTaskId());
        }
        memory.running().entrySet().stream()
                .filter(e -> !seen.contains(e.getKey()) && !watched.contains(e.getKey()))
                .filter(e -> due.test(e.getKey()))
                .sorted(Map.Entry.comparingByValue(Comparator.comparing(TargetMemory.Tracked::createdAt)))
                .forEach(e -> gets.add(new GetTask(Purpose.BY_ID, e.getKey(), null)));
        if (api.getById()) { // a watch request holds no creation time: only a get-by-id can answer it
            for (WatchRequest w : watches) {
                if (!seen.contains(w.getTaskId())) {
                    gets.add(new GetTask(Purpose.WATCH, w.getTaskId(), w));
                }
            }
        }
    }

    /** The next read, or empty when all are done. */
    Optional<PlanRequest> next() {
        if (gets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(api.getById() ? gets.peekFirst() : byCreation(gets.peekFirst()));
    }

    /** See {@link ListingPlan#found}. */
    boolean found(TaskPage page) {
        GetTask current = gets.peekFirst();
        if (current == null) {
            throw new IllegalStateException("No read by creation time under way");
        }
        boolean found = page.tasks().stream().anyMatch(t -> t.getTaskId().equals(current.taskId()))
                || page.rejects().stream().anyMatch(r -> current.taskId().equals(r.taskId()));
        byCreationOffset += page.elements();
        if (!found && !api.lastPage(page, byCreationOffset)) {
            return true; // more tasks were created in that second than a page holds: the next page may show it
        }
        gets.pollFirst();
        byCreationOffset = 0;
        seen.add(current.taskId());
        return found;
    }

    /** The current {@link GetTask} was handled (answered, or given up for this cycle). */
    void got() {
        GetTask done = gets.pollFirst();
        if (done != null) {
            seen.add(done.taskId());
        }
    }

    /**
     * A read of one known task through the list API: the one-second creation-time window around its creation (the
     * windows are at second precision), so the page holds it and the few tasks created in the same second.
     */
    private ListPage byCreation(GetTask get) {
        Instant created = memory.running().get(get.taskId()).createdAt().truncatedTo(ChronoUnit.SECONDS);
        return new ListPage(Purpose.BY_ID, api.query(new TimeWindow(created, created.plusSeconds(1)),
                byCreationOffset, false, memory.offsetReading()), get.taskId(), false);
    }
}
