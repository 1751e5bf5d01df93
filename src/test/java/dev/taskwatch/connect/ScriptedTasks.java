package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.connect.PolledPlaces.PolledPlace;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.SimulatedTaskCenter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Tasks a test starts on the simulator while it faults the cluster, and the events the rules give them: task
 * {@code i} is created {@code i * spawnEvery} after the start on a place spread over all of them, reaches 50 % one
 * {@code stage} later and ends another stage later, every fifth one FAILED, the others COMPLETED. Each stage must
 * outlast the longest time the connector cannot see the simulator (a task moving between workers), so that every
 * stage is observed and the expected events are exact.
 */
final class ScriptedTasks implements AutoCloseable {

    /** A task the test started, and how it is scripted to end. */
    record ScriptedTask(String id, PolledPlace place, boolean fails) {}

    private final ScheduledExecutorService script = Executors.newSingleThreadScheduledExecutor();
    private final List<ScriptedTask> started = new CopyOnWriteArrayList<>();
    private final int count;

    private ScriptedTasks(int count) {
        this.count = count;
    }

    static ScriptedTasks start(SimulatedTaskCenter tasks, List<PolledPlace> places, int count, Duration spawnEvery,
            Duration stage) {
        ScriptedTasks scripted = new ScriptedTasks(count);
        for (int i = 0; i < count; i++) {
            PolledPlace place = places.get(i * 7 % places.size()); // spread over the places and their credentials
            boolean fails = i % 5 == 4;
            scripted.script.schedule(() -> {
                SimTask task = tasks.createTask(place.service(), place.projectId(), "Resize");
                scripted.started.add(new ScriptedTask(task.id(), place, fails));
                scripted.script.schedule(() -> tasks.setProgress(task.id(), 50), stage.toMillis(),
                        TimeUnit.MILLISECONDS);
                scripted.script.schedule(() -> fails ? tasks.fail(task.id(), "disk full")
                        : tasks.complete(task.id()), 2 * stage.toMillis(), TimeUnit.MILLISECONDS);
            }, i * spawnEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
        return scripted;
    }

    List<ScriptedTask> started() {
        return List.copyOf(started);
    }

    /** Every scripted task was created and each of them and of {@code history} has its terminal event. */
    boolean allEnded(List<TaskEvent> events, List<SimTask> history) {
        Set<String> ended = events.stream().filter(e -> e.getType() == TaskEventType.COMPLETED
                || e.getType() == TaskEventType.FAILED).map(TaskEvent::getTaskId).collect(Collectors.toSet());
        return started.size() == count && ended.size() == count + history.size();
    }

    /**
     * Each scripted task has exactly STARTED, PROGRESSED 50 and its terminal event, each history task exactly one
     * backfill COMPLETED, no other task any event, and no event id occurs twice; prints the tally as {@code label}.
     */
    void assertEveryTaskHasExactlyItsEvents(String label, List<TaskEvent> events, List<SimTask> history) {
        assertThat(events).extracting(TaskEvent::getEventId).as("no event id twice").doesNotHaveDuplicates();
        Map<String, List<TaskEvent>> byTask = events.stream().collect(Collectors.groupingBy(TaskEvent::getTaskId,
                LinkedHashMap::new, Collectors.toList()));
        for (ScriptedTask task : started) {
            TaskEventType end = task.fails() ? TaskEventType.FAILED : TaskEventType.COMPLETED;
            assertThat(byTask.get(task.id())).as("events of %s on %s", task.id(), task.place().name())
                    .extracting(e -> e.getType() + (e.getType() == TaskEventType.PROGRESSED
                            ? " " + e.getProgressPercent() : "") + (e.getBackfill() ? " backfill" : ""))
                    .containsExactly("STARTED", "PROGRESSED 50", end.toString());
        }
        for (SimTask task : history) {
            assertThat(byTask.get(task.id())).as("events of history task %s", task.id())
                    .extracting(e -> e.getType() + (e.getBackfill() ? " backfill" : ""))
                    .containsExactly("COMPLETED backfill");
        }
        assertThat(byTask).as("no event of a task nobody scripted").hasSize(started.size() + history.size());
        System.out.printf("%s: %d events, each task exactly its own: %d scripted tasks (STARTED, PROGRESSED 50,"
                + " terminal), %d history tasks (one backfill COMPLETED)%n", label, events.size(), started.size(),
                history.size());
    }

    @Override
    public void close() {
        script.shutdownNow();
    }
}
