package dev.taskwatch.poller;

import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.poller.PlanRequest.GetTask;
import dev.taskwatch.poller.PlanRequest.ListPage;
import dev.taskwatch.taskcenter.ListQuery;
import dev.taskwatch.taskcenter.OffsetReadingProbe;
import dev.taskwatch.taskcenter.TaskPage;
import dev.taskwatch.taskcenter.TaskReject;
import dev.taskwatch.taskcenter.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The requests of one cycle of one target, in order, decided from the {@link TargetMemory}, the time and what the
 * service's API offers; pure (no I/O, no clock), so the plan is tested without HTTP. docs/design.md ("Request-minimal
 * listing") carries the argument why no change is missed. A cycle is:
 * <ol>
 *   <li><b>Main listing</b>, one of: {@link Purpose#HISTORY} (no listing yet: the whole lookback),
 *       {@link Purpose#SWEEP} (the lookback again, every {@code poller.sweep-interval}, only when the target is idle)
 *       or {@link Purpose#NEW} (tasks created since the start of the last complete listing minus
 *       {@code poller.visibility-margin}, for jobs that become visible late). Usually one page. A NEW window first
 *       reaches back to the oldest known running task created before it: when that span holds less than a page, the
 *       one request reads the new tasks and the old running ones together; when its first page shows more, the plan
 *       falls back to the plain window (and does not extend again while that task is the oldest).</li>
 *   <li><b>Running listing</b> ({@link Purpose#RUNNING}): only when more than {@link #BY_ID_INSTEAD_OF_LISTING} known
 *       non-terminal tasks were created before the main window (fewer are read by id); the list filtered by
 *       {@code status=Running} from the oldest of them. Finished tasks are never read again.</li>
 *   <li><b>By id</b> ({@link Purpose#BY_ID}): each known non-terminal task that the listings of this cycle did not show
 *       (it ended, or is Pending/unknown, which no status filter asks for), once: the terminal state of a task that
 *       left the running set costs one request.</li>
 *   <li><b>Watched ids</b> ({@link Purpose#WATCH}) not answered by the steps before.</li>
 * </ol>
 * A service without get-by-id reads one known task through its list API instead: the one-second creation-time window
 * around the task's creation time.
 */
final class ListingPlan {

    /**
     * Up to this many known tasks created before the main window are read by id rather than through the Running
     * listing: two by-id requests cost what the listing plus the one by-id request of a task that ended would.
     */
    static final int BY_ID_INSTEAD_OF_LISTING = 2;

    /**
     * The settings that shape a plan.
     *
     * @param lookback         how far back the first listing and the sweep reach
     * @param visibilityMargin how far before the last listing's start the next one reaches again
     * @param sweepInterval    how often an idle target reads its whole lookback again
     * @param maxPages         list pages per cycle; the rest of a long listing is read in the next cycle
     */
    record Rules(Duration lookback, Duration visibilityMargin, Duration sweepInterval, int maxPages) {}

    /** A main listing stopped by the page guard, resumed by the next cycle. */
    record Continuation(Purpose purpose, Instant startedAt, Instant from, int offset, Set<Long> finished) {}

    private enum Stage { MAIN, RUNNING, GETS, DONE }

    private final Instant start;
    private final TargetMemory memory;
    private final ListingApi api;
    private final Rules rules;
    private final List<WatchRequest> watches;
    private final Set<String> seen = new HashSet<>();
    private final KnownTaskReads reads;
    private Stage stage;
    private int pages;

    private final Purpose mainPurpose;
    private TimeWindow mainWindow;
    /**
     * The plain NEW window while the main listing is extended back to the oldest known running task (one request
     * instead of the new tasks plus that task by id, when the span between holds less than a page); else null.
     */
    private TimeWindow unextended;
    private final Instant mainStartedAt;
    private final Set<Long> mainFinished;
    private int mainOffset;
    /** Whether the main listing was stopped by the page guard (the rest of its window was not read). */
    private boolean mainCut;
    /** Whether the main listing continues one a previous cycle began (its first pages were read then). */
    private final boolean mainResumed;

    /** The first page of the current listing while its offset probe is asked for, else null. */
    private TaskPage probing;
    private ListQuery probingQuery;

    private TimeWindow runningWindow;
    private int runningOffset;
    private boolean runningComplete;
    private Set<String> oldTracked = Set.of();

    /**
     * Plans the cycle starting at {@code now}.
     *
     * @param active whether the target has work (a sweep waits while it does)
     */
    ListingPlan(Instant now, TargetMemory memory, ListingApi api, Rules rules, List<WatchRequest> watches,
            boolean active) {
        this.start = now;
        this.memory = memory;
        this.api = api;
        this.rules = rules;
        this.watches = List.copyOf(watches);
        this.reads = new KnownTaskReads(memory, api, seen);
        Continuation cont = memory.continuation();
        mainResumed = cont != null && api.listing();
        if (!api.listing()) {
            mainPurpose = null;
            mainStartedAt = now;
            mainWindow = null;
            mainFinished = Set.of();
            stage = Stage.RUNNING;
            return;
        } else if (cont != null) {
            mainPurpose = cont.purpose();
            mainStartedAt = cont.startedAt();
            mainWindow = api.window(cont.from(), now);
            mainOffset = cont.offset();
            mainFinished = new HashSet<>(cont.finished());
        } else {
            mainStartedAt = now;
            mainFinished = new HashSet<>();
            Instant listed = memory.listedThrough();
            if (listed == null) {
                mainPurpose = Purpose.HISTORY;
                mainWindow = api.window(now.minus(rules.lookback()), now);
            } else if (!active && sweepDue(now)) {
                mainPurpose = Purpose.SWEEP;
                mainWindow = api.window(now.minus(rules.lookback()), now);
            } else {
                mainPurpose = Purpose.NEW;
                mainWindow = api.window(listed.minus(rules.visibilityMargin()), now);
                Instant oldest = oldestRunningBefore(mainWindow.from());
                if (oldest != null && !oldest.equals(memory.extensionTooLarge())) {
                    unextended = mainWindow;
                    mainWindow = api.window(oldest, now);
                }
            }
        }
        stage = Stage.MAIN;
    }

    /** The creation time of the oldest known non-terminal task created before {@code from}, or null. */
    private Instant oldestRunningBefore(Instant from) {
        Instant oldest = null;
        for (TargetMemory.Tracked t : memory.running().values()) {
            if (t.createdAt().isBefore(from) && (oldest == null || t.createdAt().isBefore(oldest))) {
                oldest = t.createdAt();
            }
        }
        return oldest;
    }

    private boolean sweepDue(Instant now) {
        Instant last = memory.lastSweep();
        return last == null || !now.isBefore(last.plus(rules.sweepInterval()));
    }

    /** The creation-time window of the cycle's main listing. */
    TimeWindow mainWindow() {
        return mainWindow;
    }

    Purpose mainPurpose() {
        return mainPurpose;
    }

    /** The next request, or empty when the cycle is complete. */
    Optional<PlanRequest> next() {
        while (true) {
            switch (stage) {
                case MAIN -> {
                    if (probing != null) {
                        return Optional.of(probe(mainPurpose));
                    }
                    return Optional.of(new ListPage(mainPurpose, query(mainWindow, mainOffset, false)));
                }
                case RUNNING -> {
                    if (probing != null) {
                        return Optional.of(probe(Purpose.RUNNING));
                    }
                    if (runningWindow != null && !runningComplete && pages < rules.maxPages()) {
                        return Optional.of(new ListPage(Purpose.RUNNING, query(runningWindow, runningOffset, true)));
                    }
                    planGets();
                    stage = Stage.GETS;
                }
                case GETS -> {
                    Optional<PlanRequest> read = reads.next();
                    if (read.isPresent()) {
                        return read;
                    }
                    stage = Stage.DONE;
                }
                case DONE -> {
                    return Optional.empty();
                }
                default -> throw new IllegalStateException(String.valueOf(stage));
            }
        }
    }

    /**
     * The answer to the current {@link ListPage}, already published: moves the plan on. Updates the memory's listing
     * time when the main listing completes.
     */
    void listed(TaskPage page) {
        if (stage == Stage.GETS) {
            throw new IllegalStateException("A read by creation time is answered with found(), not listed()");
        }
        pages++;
        for (TaskSnapshot s : page.tasks()) {
            seen.add(s.getTaskId());
            // only a complete sweep or first read replaces the memory's finished set with what it saw
            if (stage == Stage.MAIN && mainPurpose != Purpose.NEW && TaskStatuses.isTerminal(s.getStatus())) {
                mainFinished.add(SnapshotFingerprint.of(s));
            }
        }
        for (TaskReject r : page.rejects()) {
            if (r.taskId() != null) {
                seen.add(r.taskId()); // still there, just unreadable: reading it by id would fail the same way
            }
        }
        if (stage == Stage.MAIN) {
            mainOffset += page.elements(); // rejects hold their place in the paging
            if (unextended != null && mainOffset == page.elements() && !api.lastPage(page, mainOffset)) {
                // more than a page back to the oldest running task: list the new tasks alone, and do not try this
                // extension again while that task is the oldest
                memory.extensionTooLarge(mainWindow.from());
                mainWindow = unextended;
                unextended = null;
                mainOffset = 0;
                return;
            }
            if (mainOffset == page.elements() && wantsProbe(page)) {
                probing = page;
                probingQuery = query(mainWindow, 0, false);
            } else if (api.lastPage(page, mainOffset)) {
                completeMain();
            } else if (pages >= rules.maxPages()) {
                mainCut = true;
                memory.continueLater(new Continuation(mainPurpose, mainStartedAt, mainWindow.from(), mainOffset,
                        mainFinished));
                planRunning();
            }
        } else if (stage == Stage.RUNNING) {
            runningOffset += page.elements();
            if (runningOffset == page.elements() && wantsProbe(page)) {
                probing = page;
                probingQuery = query(runningWindow, 0, true);
            } else {
                runningComplete = api.lastPage(page, runningOffset);
            }
        } else {
            throw new IllegalStateException("No listing under way but " + stage);
        }
    }

    /**
     * The answer to the current read of one task through its creation window ({@link ListPage#forTask()}), already
     * published: moves the plan on.
     *
     * @return false when the task is not in its creation second (it counts as "not found"); true when the page held
     *         it, or when a next page of that second may (the plan then asks for it)
     */
    boolean found(TaskPage page) {
        return reads.found(page);
    }

    /**
     * Whether a task of the current page is news: a NEW listing extended back to the oldest running task also shows
     * the finished tasks created between, which are not, unless the memory knows them (then they are how a known task
     * ended) or they still run.
     */
    boolean wanted(TaskSnapshot s) {
        return unextended == null || stage != Stage.MAIN || s.getCreatedAt() == null
                || !s.getCreatedAt().isBefore(unextended.from()) || !TaskStatuses.isTerminal(s.getStatus())
                || memory.running().containsKey(s.getTaskId());
    }

    /**
     * The answer to the offset probe ({@link ListPage#probe()}), already published: the memory learns how the server
     * reads {@code offset} (or stays undecided, and a later listing probes again), and the listing goes on.
     *
     * @return the verdict, for the log
     */
    OffsetReadingProbe.Verdict probed(TaskPage probe) {
        pages++;
        for (TaskSnapshot s : probe.tasks()) {
            seen.add(s.getTaskId());
        }
        OffsetReadingProbe.Verdict verdict = OffsetReadingProbe.examine(probing, probe);
        memory.offsetProbed(verdict);
        probing = null;
        probingQuery = null;
        return verdict;
    }

    /** Whether the first page of a listing should be followed by the offset probe (the reading is not known yet). */
    private boolean wantsProbe(TaskPage first) {
        return api.probeOffset() && memory.offsetReading() == null && OffsetReadingProbe.needed(first, api.pageSize());
    }

    private ListPage probe(Purpose purpose) {
        return new ListPage(purpose, OffsetReadingProbe.probeQuery(probingQuery), null, true);
    }

    /** The current {@link GetTask} was handled (answered, or given up for this cycle): moves the plan on. */
    void got() {
        reads.got();
    }

    /** Whether the main listing stopped at the page guard: the next cycle continues it. */
    boolean cut() {
        return mainCut;
    }

    int pages() {
        return pages;
    }

    /** The ids the listings of this cycle showed (read or rejected) or that were read by id. */
    Set<String> seen() {
        return seen;
    }

    private void completeMain() {
        memory.continueLater(null);
        if (mainPurpose == Purpose.NEW) {
            memory.listed(mainStartedAt);
        } else {
            memory.swept(mainStartedAt, mainFinished);
        }
        planRunning();
    }

    /** After the main listing: how the known tasks created before its window are read. */
    private void planRunning() {
        stage = Stage.RUNNING;
        Instant from = mainWindow.from();
        Set<String> old = new HashSet<>();
        Instant oldest = null;
        for (Map.Entry<String, TargetMemory.Tracked> e : memory.running().entrySet()) {
            Instant created = e.getValue().createdAt();
            if (created.isBefore(from) && !seen.contains(e.getKey())) {
                old.add(e.getKey());
                oldest = oldest == null || created.isBefore(oldest) ? created : oldest;
            }
        }
        oldTracked = old;
        if (mainPurpose == Purpose.HISTORY) {
            // A first read covers the lookback; a task still running that started before it is found by the list
            // filtered to Running over the rest of the API's history (one page, usually empty), up to where the
            // lookback began: one pass over the history, nothing read twice.
            TimeWindow before = api.window(start.minus(ListingApi.API_HISTORY), start);
            Instant to = mainWindow.from();
            if (to.truncatedTo(ChronoUnit.SECONDS).isAfter(before.from().truncatedTo(ChronoUnit.SECONDS))) {
                runningWindow = new TimeWindow(before.from(), to);
            }
            return;
        }
        if (old.size() <= BY_ID_INSTEAD_OF_LISTING) {
            return; // nothing old, or so few that reading them by id costs at most the list plus one end
        }
        runningWindow = api.window(oldest, start);
    }

    private void planGets() {
        // an old task: once the running listing (if any) is complete; a task of the main window: once all of it was
        // read in this cycle (a continued listing read its first pages in an earlier one)
        reads.plan(watches, id -> oldTracked.contains(id) ? runningWindow == null || runningComplete
                : !mainCut && !mainResumed);
    }

    private ListQuery query(TimeWindow window, int offset, boolean runningOnly) {
        return api.query(window, offset, runningOnly, memory.offsetReading());
    }
}
