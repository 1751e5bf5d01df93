package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.poller.PlanRequest.GetTask;
import dev.taskwatch.poller.PlanRequest.ListPage;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.TaskPage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan of a cycle, without HTTP: which requests a target needs given what it remembers. */
class ListingPlanTest {

    private static final Instant T0 = PollerFixture.T0;
    private static final Duration LOOKBACK = Duration.ofDays(7);
    private static final Duration MARGIN = Duration.ofMinutes(2);
    private static final ListingPlan.Rules RULES = new ListingPlan.Rules(LOOKBACK, MARGIN, Duration.ofHours(1), 50);
    private static final ListingApi BOTH = new ListingApi(true, true, Duration.ofDays(30), 10,
            OffsetReading.ITEMS);
    private static final ListingApi LIST_ONLY = new ListingApi(true, false, Duration.ofDays(30), 10,
            OffsetReading.ITEMS);

    private final TargetMemory memory = new TargetMemory();

    static TaskSnapshot snapshot(String id, TaskStatus status, Instant created) {
        return TaskSnapshot.newBuilder().setService("dds").setRegion("eu-de").setProjectId("p").setTaskId(id)
                .setName("Resize").setStatus(status).setRawStatus(status.name()).setCreatedAt(created)
                .setDetails(Map.of()).setObservedAt(T0).setSource("mem").build();
    }

    private static TaskPage page(TaskSnapshot... tasks) {
        return new TaskPage(List.of(tasks), tasks.length);
    }

    /** Knows {@code ids} as running, created at {@code created}, and a complete listing at {@code listed}. */
    private void knows(Instant listed, Instant created, String... ids) {
        List<TaskSnapshot> read = new ArrayList<>();
        for (String id : ids) {
            read.add(snapshot(id, TaskStatus.RUNNING, created));
        }
        memory.record(read, read, listed);
        memory.swept(listed, java.util.Set.of());
    }

    /** Runs a plan to its end, answering each list page with {@code answer} and each by-id with nothing. */
    private static List<PlanRequest> drain(ListingPlan plan, TaskPage answer) {
        List<PlanRequest> out = new ArrayList<>();
        for (var next = plan.next(); next.isPresent(); next = plan.next()) {
            out.add(next.get());
            if (next.get() instanceof ListPage) {
                plan.listed(answer);
            } else {
                plan.got();
            }
        }
        return out;
    }

    @Test
    void shouldReadTheLookbackAtFirstStartThenWhatStillRunsBeforeIt() {
        ListingPlan plan = new ListingPlan(T0, memory, BOTH, RULES, List.of(), false);

        List<PlanRequest> requests = drain(plan, page());

        assertThat(requests).hasSize(2);
        ListPage history = (ListPage) requests.get(0);
        assertThat(history.purpose()).isEqualTo(Purpose.HISTORY);
        assertThat(history.query().window().from()).isEqualTo(T0.minus(LOOKBACK));
        assertThat(history.query().runningOnly()).isFalse();
        ListPage running = (ListPage) requests.get(1);
        assertThat(running.purpose()).isEqualTo(Purpose.RUNNING);
        assertThat(running.query().runningOnly()).isTrue();
        assertThat(running.query().window().from()).isBefore(T0.minus(Duration.ofDays(29)));
        assertThat(memory.listedThrough()).isEqualTo(T0);
    }

    @Test
    void shouldReadOnlyTheTasksCreatedSinceTheLastListingWhenNothingOlderRuns() {
        knows(T0.minusSeconds(30), T0);
        ListingPlan plan = new ListingPlan(T0, memory, BOTH, RULES, List.of(), false);

        List<PlanRequest> requests = drain(plan, page());

        assertThat(requests).singleElement().satisfies(r -> {
            ListPage page = (ListPage) r;
            assertThat(page.purpose()).isEqualTo(Purpose.NEW);
            assertThat(page.query().window().from()).isEqualTo(T0.minusSeconds(30).minus(MARGIN));
            assertThat(page.query().window().to()).isEqualTo(T0.plus(ListingApi.WINDOW_END_MARGIN));
        });
        assertThat(memory.listedThrough()).isEqualTo(T0);
    }

    @Test
    void shouldReadOneOldRunningTaskByIdWhenTheSpanBackToItIsLarge() {
        knows(T0.minusSeconds(30), T0.minus(Duration.ofDays(1)), "old");
        memory.extensionTooLarge(T0.minus(Duration.ofDays(1)));
        ListingPlan plan = new ListingPlan(T0, memory, BOTH, RULES, List.of(), true);

        List<PlanRequest> requests = drain(plan, page());

        assertThat(requests).extracting(PlanRequest::purpose).containsExactly(Purpose.NEW, Purpose.BY_ID);
        assertThat(((GetTask) requests.get(1)).taskId()).isEqualTo("old");
    }

    @Test
    void shouldReachBackToTheOldestRunningTaskInOneListingWhenTheSpanHoldsLessThanAPage() {
        Instant created = T0.minus(Duration.ofHours(5));
        knows(T0.minusSeconds(30), created, "a", "b", "c");
        ListingPlan plan = new ListingPlan(T0, memory, BOTH, RULES, List.of(), true);

        List<PlanRequest> requests = drain(plan, page(snapshot("a", TaskStatus.RUNNING, created),
                snapshot("b", TaskStatus.COMPLETED, created), snapshot("c", TaskStatus.RUNNING, created)));

        assertThat(requests).singleElement().satisfies(r -> assertThat(((ListPage) r).query().window().from())
                .isEqualTo(created));
    }

    @Test
    void shouldFallBackToTheNewTasksWhenTheSpanBackToTheOldestRunningTaskHoldsMoreThanAPage() {
        Instant created = T0.minus(Duration.ofDays(3));
        knows(T0.minusSeconds(30), created, "a");
        ListingPlan plan = new ListingPlan(T0, memory, BOTH, RULES, List.of(), true);
        List<TaskSnapshot> full = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            full.add(snapshot("old" + i, TaskStatus.COMPLETED, created.plusSeconds(i)));
        }

        assertThat(plan.wanted(full.get(0))).as("an unknown finished task of the span is not news").isFalse();
        assertThat(plan.wanted(snapshot("a", TaskStatus.COMPLETED, created))).as("how a known one ended").isTrue();
        plan.listed(new TaskPage(full, 500));
        ListPage plain = (ListPage) plan.next().orElseThrow();
        assertThat(plain.query().window().from()).isEqualTo(T0.minusSeconds(30).minus(MARGIN));
        plan.listed(page());
        assertThat(plan.next()).get().satisfies(r -> assertThat(((GetTask) r).taskId()).isEqualTo("a"));
        assertThat(new ListingPlan(T0.plusSeconds(5), memory, BOTH, RULES, List.of(), true).mainWindow().from())
                .as("not extended again while that task is the oldest").isEqualTo(T0.minus(MARGIN));
    }

    @Test
    void shouldListOldRunningTasksFilteredToRunningAndReadByIdOnlyThoseThatLeftIt() {
        Instant created = T0.minus(Duration.ofDays(3));
        knows(T0.minusSeconds(30), created, "a", "b", "c");
        memory.extensionTooLarge(created); // the span back to them holds more than a page
        ListingPlan plan = new ListingPlan(T0, memory, BOTH, RULES, List.of(), true);

        assertThat(plan.next()).get().extracting(PlanRequest::purpose).isEqualTo(Purpose.NEW);
        plan.listed(page());
        ListPage running = (ListPage) plan.next().orElseThrow();
        assertThat(running.purpose()).isEqualTo(Purpose.RUNNING);
        assertThat(running.query().runningOnly()).isTrue();
        assertThat(running.query().window().from()).isEqualTo(created);
        plan.listed(page(snapshot("a", TaskStatus.RUNNING, created), snapshot("c", TaskStatus.RUNNING, created)));
        GetTask byId = (GetTask) plan.next().orElseThrow();
        assertThat(byId.taskId()).as("b left the running set: its end is read once").isEqualTo("b");
        plan.got();
        assertThat(plan.next()).isEmpty();
    }

    @Test
    void shouldReadAKnownTaskThroughItsCreationSecondWithoutGetById() {
        Instant created = T0.minus(Duration.ofDays(3)).plusMillis(700);
        knows(T0.minusSeconds(30), created, "a");
        ListingPlan plan = new ListingPlan(T0, memory, LIST_ONLY, RULES, List.of(), true);

        plan.listed(page());
        ListPage read = (ListPage) plan.next().orElseThrow();
        assertThat(read.purpose()).isEqualTo(Purpose.BY_ID);
        assertThat(read.forTask()).isEqualTo("a");
        assertThat(read.query().runningOnly()).isFalse();
        assertThat(read.query().window().from()).isEqualTo(T0.minus(Duration.ofDays(3)));
        assertThat(read.query().window().to()).isEqualTo(T0.minus(Duration.ofDays(3)).plusSeconds(1));
        assertThat(plan.found(page(snapshot("b", TaskStatus.COMPLETED, created)))).as("only a neighbour").isFalse();
        assertThat(plan.next()).isEmpty();
    }

    @Test
    void shouldPageThroughACreationSecondThatHoldsMoreTasksThanAPage() {
        Instant created = T0.minus(Duration.ofDays(3));
        knows(T0.minusSeconds(30), created, "a");
        memory.extensionTooLarge(created);
        ListingPlan plan = new ListingPlan(T0, memory, LIST_ONLY, RULES, List.of(), true);
        plan.listed(page());
        List<TaskSnapshot> full = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            full.add(snapshot("n" + i, TaskStatus.COMPLETED, created));
        }

        assertThat(((ListPage) plan.next().orElseThrow()).query().offset()).isZero();
        assertThat(plan.found(new TaskPage(full, 12))).as("not on the first page, but a second one exists").isTrue();
        ListPage second = (ListPage) plan.next().orElseThrow();
        assertThat(second.forTask()).isEqualTo("a");
        assertThat(second.query().offset()).isEqualTo(10);
        assertThat(plan.found(page(snapshot("n10", TaskStatus.COMPLETED, created),
                snapshot("a", TaskStatus.COMPLETED, created)))).isTrue();
        assertThat(plan.next()).isEmpty();
    }

    @Test
    void shouldSweepTheLookbackOnlyWhileTheTargetIsIdle() {
        knows(T0.minus(Duration.ofHours(2)), T0);
        ListingPlan busy = new ListingPlan(T0, memory, BOTH, RULES, List.of(), true);
        assertThat(busy.mainPurpose()).isEqualTo(Purpose.NEW);

        ListingPlan idle = new ListingPlan(T0, memory, BOTH, RULES, List.of(), false);
        assertThat(idle.mainPurpose()).isEqualTo(Purpose.SWEEP);
        assertThat(idle.mainWindow().from()).isEqualTo(T0.minus(LOOKBACK));
        drain(idle, page());
        assertThat(memory.lastSweep()).isEqualTo(T0);
        assertThat(new ListingPlan(T0.plusSeconds(30), memory, BOTH, RULES, List.of(), false).mainPurpose())
                .isEqualTo(Purpose.NEW);
    }

    @Test
    void shouldBoundTheWindowByTheApiHistoryAndTheDialectSpan() {
        ListingPlan.Rules long45 = new ListingPlan.Rules(Duration.ofDays(45), MARGIN, Duration.ofHours(1), 50);
        ListingPlan sevenDays = new ListingPlan(T0, memory, new ListingApi(true, true, Duration.ofDays(7), 10,
                OffsetReading.ITEMS), long45, List.of(), false);
        assertThat(sevenDays.mainWindow().to()).isEqualTo(T0.plus(ListingApi.WINDOW_END_MARGIN));
        assertThat(sevenDays.mainWindow().from()).isEqualTo(sevenDays.mainWindow().to().minus(Duration.ofDays(7)));

        ListingPlan thirtyDays = new ListingPlan(T0, new TargetMemory(), new ListingApi(true, true,
                Duration.ofDays(90), 10, OffsetReading.ITEMS), long45, List.of(), false);
        assertThat(thirtyDays.mainWindow().from()).isEqualTo(T0.minus(Duration.ofDays(30))
                .plus(ListingApi.HISTORY_MARGIN));
    }

    @Test
    void shouldContinueACutListingWhereItStoppedAndCountItFromItsFirstStart() {
        ListingPlan.Rules onePage = new ListingPlan.Rules(LOOKBACK, MARGIN, Duration.ofHours(1), 1);
        ListingPlan first = new ListingPlan(T0, memory, BOTH, onePage, List.of(), false);
        List<TaskSnapshot> full = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            full.add(snapshot("t" + i, TaskStatus.COMPLETED, T0.minus(Duration.ofHours(i + 1))));
        }
        first.listed(new TaskPage(full, 15));
        assertThat(first.cut()).isTrue();
        assertThat(first.next()).as("nothing else fits the page guard").isEmpty();
        assertThat(memory.listedThrough()).isNull();

        ListingPlan second = new ListingPlan(T0.plusSeconds(5), memory, BOTH, onePage, List.of(), true);
        ListPage rest = (ListPage) second.next().orElseThrow();
        assertThat(rest.purpose()).isEqualTo(Purpose.HISTORY);
        assertThat(rest.query().offset()).isEqualTo(10);
        assertThat(rest.query().window().from()).isEqualTo(first.mainWindow().from());
        second.listed(new TaskPage(full.subList(0, 5), 15));
        assertThat(memory.listedThrough()).as("tasks created during the first cycle may sit on its pages")
                .isEqualTo(T0);
        assertThat(memory.continuation()).isNull();
    }

    @Test
    void shouldNotReadByIdAWatchedTaskTheListingShowed() {
        knows(T0.minusSeconds(30), T0);
        WatchRequest listed = new WatchRequest("dds", "eu-de", "p", "listed", T0, null, null);
        WatchRequest other = new WatchRequest("dds", "eu-de", "p", "other", T0, null, null);
        ListingPlan plan = new ListingPlan(T0, memory, BOTH, RULES, List.of(listed, other), true);

        List<PlanRequest> requests = drain(plan, page(snapshot("listed", TaskStatus.COMPLETED, T0)));

        assertThat(requests).extracting(PlanRequest::purpose).containsExactly(Purpose.NEW, Purpose.WATCH);
        assertThat(((GetTask) requests.get(1)).watch()).isEqualTo(other);
    }

    @Test
    void shouldReadOnlyWatchedIdsForAServiceWithoutAListApi() {
        WatchRequest w = new WatchRequest("taurusdb", "eu-de", "p", "job", T0, null, null);
        ListingPlan plan = new ListingPlan(T0, memory, ListingApi.getByIdOnly(), RULES, List.of(w), true);

        assertThat(drain(plan, page())).extracting(PlanRequest::purpose).containsExactly(Purpose.WATCH);
    }
}
