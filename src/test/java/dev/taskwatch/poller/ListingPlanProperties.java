package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskState;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Authenticator;
import dev.taskwatch.testing.ManualClock;
import dev.taskwatch.transitions.TransitionRules;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The request-minimal poller reports what a poller that re-reads everything every cycle reports. A model of a list
 * API (creation-time window, offset paging in either sort order, the Running filter, get-by-id) serves generated task
 * histories: late visibility, Pending and unknown statuses, statuses that go back, tasks that become visible while a
 * listing is paged. The real {@link TargetPoller} polls it cycle by cycle; an oracle reads every visible task at zero
 * cost at the same instants. Both snapshot streams go through the {@link TransitionRules}: the events must be the same.
 * And a steady-state cycle costs what changed, never what the history holds.
 */
class ListingPlanProperties {

    private static final Instant T0 = PollerFixture.T0;
    /** Cycles start on whole ticks; every change of the model happens mid-tick, between cycles. */
    private static final Duration TICK = Duration.ofSeconds(10);
    private static final int CYCLES = 60;
    private static final int PAGE = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A change of a task: at {@code tick} (+5 s), to {@code status} with {@code progress}. */
    record Change(int tick, String status, Integer progress) {}

    /** A task of the model: created at {@code createdTick} (+5 s), listed from {@code visibleTick} (+5 s). */
    record ModelTask(String id, int createdTick, int visibleTick, List<Change> changes) {

        Instant created() {
            return T0.plus(TICK.multipliedBy(createdTick)).plusSeconds(5);
        }

        boolean visible(Instant now) {
            return !now.isBefore(T0.plus(TICK.multipliedBy(visibleTick)).plusSeconds(5));
        }

        Change state(Instant now) {
            Change current = changes.get(0);
            for (Change c : changes) {
                if (!now.isBefore(T0.plus(TICK.multipliedBy(c.tick())).plusSeconds(5))) {
                    current = c;
                }
            }
            return current;
        }
    }

    @Provide
    Arbitrary<List<ModelTask>> histories() {
        Arbitrary<String> status = Arbitraries.of("Running", "Running", "Running", "Pending", "Weird", "Completed",
                "Failed");
        Arbitrary<Integer> progress = Arbitraries.integers().between(0, 100);
        Arbitrary<ModelTask> task = Combinators.combine(
                Arbitraries.integers().between(-1000, CYCLES - 5), // created up to ~3 h before the first cycle
                Arbitraries.integers().between(0, 6), // listed up to 60 s late, within the visibility margin
                Arbitraries.integers().between(0, 20).list().ofMaxSize(5),
                status.list().ofMinSize(5).ofMaxSize(5),
                progress.list().ofMinSize(5).ofMaxSize(5))
                .as((created, late, steps, statuses, progresses) -> {
                    List<Change> changes = new ArrayList<>();
                    changes.add(new Change(created, "Running", 0));
                    int tick = created;
                    for (int i = 0; i < steps.size(); i++) {
                        tick += steps.get(i) + 1;
                        String s = statuses.get(i);
                        changes.add(new Change(tick, s, "Running".equals(s) ? progresses.get(i) : null));
                    }
                    return new ModelTask(null, created, created + late, changes);
                });
        return task.list().ofMinSize(1).ofMaxSize(25).map(list -> {
            List<ModelTask> named = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                ModelTask t = list.get(i);
                named.add(new ModelTask(String.format("task-%02d", i), t.createdTick(), t.visibleTick(),
                        t.changes()));
            }
            return named;
        });
    }

    /** The model API, in {@link TestDialect}'s format; each request takes 10 ms of the manual clock. */
    static final class ModelTaskCenter implements TaskCenterClient {

        final ManualClock clock;
        final List<ModelTask> tasks;
        final boolean newestFirst;
        int requests;

        ModelTaskCenter(ManualClock clock, List<ModelTask> tasks, boolean newestFirst) {
            this.clock = clock;
            this.tasks = tasks;
            this.newestFirst = newestFirst;
        }

        @Override
        public ApiResponse execute(Target target, ApiRequest request, Authenticator authenticator) {
            clock.advance(Duration.ofMillis(10));
            requests++;
            Instant now = clock.instant();
            Map<String, String> q = request.query();
            if (request.path().endsWith("/task")) {
                return tasks.stream().filter(t -> t.id().equals(q.get("id")) && t.visible(now)).findFirst()
                        .map(t -> {
                            ObjectNode root = JSON.createObjectNode();
                            root.set("task", json(t, now));
                            return new ApiResponse(200, root.toString(), null, now, "model");
                        }).orElseGet(() -> new ApiResponse(404, "{\"error_code\":\"TEST.404\"}", null, now, "model"));
            }
            Instant from = Instant.ofEpochMilli(Long.parseLong(q.get("from")));
            Instant to = Instant.ofEpochMilli(Long.parseLong(q.get("to")));
            int offset = Integer.parseInt(q.get("offset"));
            int limit = Integer.parseInt(q.get("limit"));
            Comparator<ModelTask> order = Comparator.comparing(ModelTask::created).thenComparing(ModelTask::id);
            List<ModelTask> matching = tasks.stream().filter(t -> t.visible(now))
                    .filter(t -> !t.created().isBefore(from) && !t.created().isAfter(to))
                    .filter(t -> !q.containsKey("status") || q.get("status").equals(t.state(now).status()))
                    .sorted(newestFirst ? order.reversed() : order).toList();
            ObjectNode root = JSON.createObjectNode();
            ArrayNode page = root.putArray("tasks");
            matching.stream().skip(offset).limit(limit).forEach(t -> page.add(json(t, now)));
            root.put("total_count", matching.size());
            return new ApiResponse(200, root.toString(), null, now, "model");
        }

        ObjectNode json(ModelTask t, Instant now) {
            Change state = t.state(now);
            ObjectNode node = JSON.createObjectNode();
            node.put("id", t.id());
            node.put("status", state.status());
            if (state.progress() != null) {
                node.put("progress", state.progress());
            }
            node.put("created", t.created().toEpochMilli());
            return node;
        }
    }

    /** Events by task, as the transitions application would emit them for {@code snapshots} in order. */
    private static Map<String, List<String>> events(List<TaskSnapshot> snapshots) {
        TransitionRules rules = new TransitionRules(Duration.ofMinutes(10), true, Duration.ofDays(3));
        Map<String, TaskState> states = new HashMap<>();
        Map<String, List<String>> out = new HashMap<>();
        for (TaskSnapshot s : snapshots) {
            var transition = rules.apply(states.get(s.getTaskId()), s, s.getObservedAt());
            transition.stateToStore().ifPresent(state -> states.put(s.getTaskId(), state));
            for (TaskEvent e : transition.events()) {
                out.computeIfAbsent(s.getTaskId(), k -> new ArrayList<>())
                        .add(e.getType() + (e.getProgressPercent() == null ? "" : " " + e.getProgressPercent()));
            }
        }
        return out;
    }

    @Property(tries = 200)
    void shouldReportTheSameTransitionsAsAPollerThatReadsEverythingEveryCycle(
            @ForAll("histories") List<ModelTask> history, @ForAll boolean newestFirst, @ForAll boolean getById) {
        ManualClock clock = new ManualClock(T0);
        ModelTaskCenter center = new ModelTaskCenter(clock, history, newestFirst);
        TestDialect dialect = new TestDialect(Service.DDS, true, getById, Duration.ofDays(30));
        Target target = new Target("model", Service.DDS, "eu-de", "p", URI.create("http://model"), "c",
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofDays(1));
        InMemorySnapshotSink sink = new InMemorySnapshotSink();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TargetPoller poller = new TargetPoller(new PolledTarget(target, dialect, new TestAuthenticator(), PAGE),
                PollerSettings.defaults(), center, new StatusCodeResponsePolicy(), sink,
                new WatchSet(List.of(target), registry), key -> { }, registry, clock, () -> 0.5);
        ModelTaskCenter oracleView = new ModelTaskCenter(clock, history, newestFirst);
        List<TaskSnapshot> oracle = new ArrayList<>();

        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Instant at = T0.plus(TICK.multipliedBy(cycle));
            clock.set(at);
            for (ModelTask t : history) { // the oracle: every visible task, at no cost
                if (t.visible(at)) {
                    oracle.add(TestDialect.read(target, oracleView.json(t, at), at));
                }
            }
            int trackedBefore = poller.known().size();
            boolean steady = poller.memory().listedThrough() != null;
            int before = center.requests;
            poller.runCycle();
            int requests = center.requests - before;
            if (steady && getById) {
                Instant newFrom = poller.memory().listedThrough() == null ? at : at.minus(TICK)
                        .minus(PollerSettings.DEFAULT_VISIBILITY_MARGIN);
                long created = history.stream().filter(t -> !t.created().isBefore(newFrom)).count();
                // new tasks in pages, the running listing, and at most one by-id per task known before the cycle
                long bound = created / PAGE + 1 + (trackedBefore / PAGE + 1) + trackedBefore;
                assertThat((long) requests).as("cycle %d: requests against what changed", cycle)
                        .isLessThanOrEqualTo(bound);
            }
        }

        assertThat(events(sink.published)).isEqualTo(events(oracle));
    }
}
