package dev.taskwatch.poller;

import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.taskcenter.ListQuery;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.OffsetReadingProbe;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.TaskPage;
import dev.taskwatch.taskcenter.TaskReject;
import dev.taskwatch.taskcenter.TimeWindow;
import java.time.Duration;
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

    /** The APIs show about one month of history. */
    static final Duration API_HISTORY = Service.API_VISIBILITY;
    /** Keeps the window start clearly inside the visible history, whatever the API's clock says. */
    static final Duration HISTORY_MARGIN = Duration.ofMinutes(10);
    /** Window end beyond now: tasks created while the request travels, and clock skew. */
    static final Duration WINDOW_END_MARGIN = Duration.ofMinutes(1);

    /**
     * Up to this many known tasks created before the main window are read by id rather than through the Running
     * listing: two by-id requests cost what the listing plus the one by-id request of a task that ended would.
     */
    static final int BY_ID_INSTEAD_OF_LISTING = 2;

    /** A request of the plan. */
    sealed interface Request permits ListPage, GetTask {
        Purpose purpose();
    }

    /**
     * One page of a listing; {@code forTask} is the task it stands in for a get-by-id request for (a service without
     * get-by-id reads one task through the list API's one-second window around its creation time), else null.
     */
    record ListPage(Purpose purpose, ListQuery query, String forTask, boolean probe) implements Request {

        ListPage(Purpose purpose, ListQuery query) {
            this(purpose, query, null, false);
        }
    }

    /** One task by id; {@code watch} is the watch request when the id is watched, else null. */
    record GetTask(Purpose purpose, String taskId, WatchRequest watch) implements Request {}

    /**
     * What the service's API offers and how it is read.
     *
     * @param listing       whether the service has a list API (else only watched ids are read, by id)
     * @param getById       whether one task can be read by id
     * @param maxWindowSpan the longest creation-time window of one list request
     * @param pageSize      the page size asked for
     * @param reading       how the server reads {@code offset} until a probe says otherwise
     * @param probeOffset     whether to learn the reading from the answers before paging
     */
    record Api(boolean listing, boolean getById, Duration maxWindowSpan, int pageSize, OffsetReading reading,
            boolean probeOffset) {

        Api(boolean listing, boolean getById, Duration maxWindowSpan, int pageSize, OffsetReading reading) {
            this(listing, getById, maxWindowSpan, pageSize, reading, false);
        }

        /** A service with get-by-id only (TaurusDB). */
        static Api getByIdOnly() {
            return new Api(false, true, Duration.ZERO, 1, OffsetReading.ITEMS);
        }
    }

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
    private final Api api;
    private final Rules rules;
    private final List<WatchRequest> watches;
    private final Set<String> seen = new HashSet<>();
    private final Deque<GetTask> gets = new ArrayDeque<>();
    /** How far the read of the current task through its creation second has paged. */
    private int byCreationOffset;
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
    ListingPlan(Instant now, TargetMemory memory, Api api, Rules rules, List<WatchRequest> watches, boolean active) {
        this.start = now;
        this.memory = memory;
        this.api = api;
        this.rules = rules;
        this.watches = List.copyOf(watches);
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
            mainWindow = bounded(cont.from(), now);
            mainOffset = cont.offset();
            mainFinished = new HashSet<>(cont.finished());
        } else {
            mainStartedAt = now;
            mainFinished = new HashSet<>();
            Instant listed = memory.listedThrough();
            if (listed == null) {
                mainPurpose = Purpose.HISTORY;
                mainWindow = bounded(now.minus(rules.lookback()), now);
            } else if (!active && sweepDue(now)) {
                mainPurpose = Purpose.SWEEP;
                mainWindow = bounded(now.minus(rules.lookback()), now);
            } else {
                mainPurpose = Purpose.NEW;
                mainWindow = bounded(listed.minus(rules.visibilityMargin()), now);
                Instant oldest = oldestRunningBefore(mainWindow.from());
                if (oldest != null && !oldest.equals(memory.extensionTooLarge())) {
                    unextended = mainWindow;
                    mainWindow = bounded(oldest, now);
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
    Optional<Request> next() {
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
                    if (!gets.isEmpty()) {
                        return Optional.of(api.getById() ? gets.peekFirst() : byCreation(gets.peekFirst()));
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
            if (unextended != null && mainOffset == page.elements() && !isLast(page, mainOffset)) {
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
            } else if (isLast(page, mainOffset)) {
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
                runningComplete = isLast(page, runningOffset);
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
        GetTask current = gets.peekFirst();
        if (current == null) {
            throw new IllegalStateException("No read by creation time under way");
        }
        boolean found = page.tasks().stream().anyMatch(t -> t.getTaskId().equals(current.taskId()))
                || page.rejects().stream().anyMatch(r -> current.taskId().equals(r.taskId()));
        byCreationOffset += page.elements();
        if (!found && !isLast(page, byCreationOffset)) {
            return true; // more tasks were created in that second than a page holds: the next page may show it
        }
        gets.pollFirst();
        byCreationOffset = 0;
        seen.add(current.taskId());
        return found;
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
        GetTask done = gets.pollFirst();
        if (done != null) {
            seen.add(done.taskId());
        }
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

    private boolean isLast(TaskPage page, int offset) {
        return page.elements() < api.pageSize() || (page.totalCount() != null && offset >= page.totalCount());
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
            TimeWindow before = bounded(start.minus(API_HISTORY), start);
            Instant to = mainWindow.from();
            if (to.truncatedTo(ChronoUnit.SECONDS).isAfter(before.from().truncatedTo(ChronoUnit.SECONDS))) {
                runningWindow = new TimeWindow(before.from(), to);
            }
            return;
        }
        if (old.size() <= BY_ID_INSTEAD_OF_LISTING) {
            return; // nothing old, or so few that reading them by id costs at most the list plus one end
        }
        runningWindow = bounded(oldest, start);
    }

    private void planGets() {
        Set<String> watched = new HashSet<>();
        for (WatchRequest w : watches) {
            watched.add(w.getTaskId());
        }
        memory.running().entrySet().stream()
                .filter(e -> !seen.contains(e.getKey()) && !watched.contains(e.getKey()))
                // an old task: once the running listing (if any) is complete; a task of the main window: once all
                // of it was read in this cycle (a continued listing read its first pages in an earlier one)
                .filter(e -> oldTracked.contains(e.getKey()) ? runningWindow == null || runningComplete
                        : !mainCut && !mainResumed)
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

    /**
     * A read of one known task through the list API: the one-second creation-time window around its creation (the
     * windows are at second precision), so the page holds it and the few tasks created in the same second.
     */
    private ListPage byCreation(GetTask get) {
        Instant created = memory.running().get(get.taskId()).createdAt().truncatedTo(ChronoUnit.SECONDS);
        return new ListPage(Purpose.BY_ID, query(new TimeWindow(created, created.plusSeconds(1)), byCreationOffset,
                false), get.taskId(), false);
    }

    private ListQuery query(TimeWindow window, int offset, boolean runningOnly) {
        OffsetReading reading = memory.offsetReading();
        return new ListQuery(window, offset, api.pageSize(), runningOnly, reading != null ? reading : api.reading());
    }

    /**
     * A window from {@code from} to {@code now} plus a margin, never further back than the API's 30 days (minus a
     * margin) nor than the dialect's largest span.
     */
    private TimeWindow bounded(Instant from, Instant now) {
        Instant to = now.plus(WINDOW_END_MARGIN);
        Instant historyFloor = now.minus(API_HISTORY).plus(HISTORY_MARGIN);
        Instant spanFloor = to.minus(api.maxWindowSpan());
        Instant floor = historyFloor.isAfter(spanFloor) ? historyFloor : spanFloor;
        return new TimeWindow(from.isBefore(floor) ? floor : from, to);
    }
}
