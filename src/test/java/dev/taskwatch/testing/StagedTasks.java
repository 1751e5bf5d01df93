package dev.taskwatch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.transitions.TransitionRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Scripted simulator tasks for fault tests: a new task every 2 s (GeminiDB and openGauss alternately), each RUNNING
 * through four stages of {@code stage} (0, 25, 50, 75 %), then COMPLETED or FAILED at random. Every stage is recorded
 * with when it was served, so that a test can work out which stages taskwatch must have observed around its faults,
 * and {@link #assertEvents} compares the emitted events with the rules.
 */
public final class StagedTasks extends Thread {

    /** One stage of one task as the simulator served it: [from, to) in System.nanoTime. */
    public record Stage(String taskId, String status, int progress, long from, long to) {}

    private static final int[] PROGRESS = {0, 25, 50, 75};

    private final Simulator simulator;
    private final String project;
    private final Duration stage;
    private final Random random;
    private final List<Stage> stages = new CopyOnWriteArrayList<>();
    private final AtomicBoolean creating = new AtomicBoolean(true);

    public StagedTasks(Simulator simulator, String project, Duration stage, Random random) {
        super("staged-tasks");
        this.simulator = simulator;
        this.project = project;
        this.stage = stage;
        this.random = random;
        setDaemon(true);
    }

    @Override
    public void run() {
        record Live(SimTask task, long since, int stage) {}
        List<Live> live = new ArrayList<>();
        long nextCreate = System.nanoTime();
        int n = 0;
        try {
            while (creating.get() || !live.isEmpty()) {
                long now = System.nanoTime();
                if (creating.get() && now >= nextCreate) {
                    Service service = n++ % 2 == 0 ? Service.GEMINIDB : Service.OPENGAUSS;
                    live.add(new Live(simulator.tasks().createTask(service, project, "Resize"), now, 0));
                    nextCreate = now + TimeUnit.SECONDS.toNanos(2);
                }
                List<Live> next = new ArrayList<>();
                for (Live l : live) {
                    if (now - l.since() < stage.toNanos()) {
                        next.add(l);
                        continue;
                    }
                    stages.add(new Stage(l.task().id(), "RUNNING", PROGRESS[l.stage()], l.since(), now));
                    if (l.stage() + 1 < PROGRESS.length) {
                        simulator.tasks().setProgress(l.task().id(), PROGRESS[l.stage() + 1]);
                        next.add(new Live(l.task(), now, l.stage() + 1));
                    } else if (random.nextBoolean()) {
                        simulator.tasks().complete(l.task().id());
                        stages.add(new Stage(l.task().id(), "COMPLETED", 100, now, Long.MAX_VALUE));
                    } else {
                        simulator.tasks().fail(l.task().id(), "disk full");
                        stages.add(new Stage(l.task().id(), "FAILED", 0, now, Long.MAX_VALUE));
                    }
                }
                live = next;
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops creating tasks and waits until every task has ended. */
    public void finish() throws InterruptedException {
        creating.set(false);
        join(60_000);
        assertThat(isAlive()).as("script finished").isFalse();
    }

    /** The stages served so far; a RUNNING stage is listed once it has ended. */
    public List<Stage> stages() {
        return stages;
    }

    public Set<String> taskIds() {
        Set<String> ids = new LinkedHashSet<>();
        stages.forEach(s -> ids.add(s.taskId()));
        return ids;
    }

    /**
     * Checks the events (in the order a read_committed consumer received them) against the rules: no event id twice,
     * each id the one the rules derive, every scripted task has events and ends with its one terminal event, at most
     * one STARTED, progress strictly increasing, and every RUNNING stage that {@code mustBeObserved} selects has its
     * event.
     *
     * @return the events per task, for further checks
     */
    public Map<String, List<TaskEvent>> assertEvents(List<TaskEvent> events, Predicate<Stage> mustBeObserved) {
        Map<String, List<TaskEvent>> byTask = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (TaskEvent e : events) {
            assertThat(ids.add(e.getEventId())).as("event id %s once: %s", e.getEventId(), e).isTrue();
            TaskKey key = new TaskKey(e.getService(), e.getRegion(), e.getProjectId(), e.getTaskId());
            assertThat(e.getEventId()).isEqualTo(TransitionRules.eventId(key, e.getType(), e.getProgressPercent()));
            byTask.computeIfAbsent(e.getTaskId(), k -> new ArrayList<>()).add(e);
        }
        Set<String> taskIds = taskIds();
        assertThat(byTask.keySet()).as("tasks with events").containsExactlyInAnyOrderElementsOf(taskIds);
        for (String taskId : taskIds) {
            List<TaskEvent> taskEvents = byTask.get(taskId);
            List<Stage> served = stages.stream().filter(st -> st.taskId().equals(taskId)).toList();
            Stage end = served.get(served.size() - 1);
            TaskEvent last = taskEvents.get(taskEvents.size() - 1);
            assertThat(last.getType().name()).as(taskId + " ends with its terminal event").isEqualTo(end.status());
            assertThat(taskEvents.stream().filter(e -> isTerminal(e.getType())).count()).as(taskId + " terminals")
                    .isEqualTo(1);
            assertThat(taskEvents.stream().filter(e -> e.getType() == TaskEventType.STARTED).count())
                    .as(taskId + " STARTED").isLessThanOrEqualTo(1);
            List<Integer> progress = taskEvents.stream().filter(e -> !isTerminal(e.getType()))
                    .map(TaskEvent::getProgressPercent).toList();
            assertThat(progress).as(taskId + " progress strictly increasing").isSortedAccordingTo(Integer::compare)
                    .doesNotHaveDuplicates();
            for (Stage st : served) {
                if (st.status().equals("RUNNING") && mustBeObserved.test(st)) {
                    assertThat(progress).as("%s at %d %% must have been observed: %s", taskId, st.progress(),
                            taskEvents).contains(st.progress());
                }
            }
        }
        return byTask;
    }

    /** The tasks whose terminal event is among {@code events}. */
    public static Set<String> terminals(List<TaskEvent> events) {
        Set<String> done = new HashSet<>();
        events.stream().filter(e -> isTerminal(e.getType())).forEach(e -> done.add(e.getTaskId()));
        return done;
    }

    public static boolean isTerminal(TaskEventType type) {
        return type == TaskEventType.COMPLETED || type == TaskEventType.FAILED || type == TaskEventType.CANCELED;
    }
}
