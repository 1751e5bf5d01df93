package dev.taskwatch.transitions;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskState;
import java.util.List;
import java.util.Optional;

/**
 * The result of applying one snapshot to a task's state.
 *
 * @param outcome  what the rules decided (for metrics and logs)
 * @param newState the state to store, or null when the store must not be written (the common, cheap case)
 * @param events   the events to emit, in order (zero or one with the current rules)
 */
public record Transition(Outcome outcome, TaskState newState, List<TaskEvent> events) {

    public Transition {
        events = List.copyOf(events);
    }

    /** The state to store, if any. */
    public Optional<TaskState> stateToStore() {
        return Optional.ofNullable(newState);
    }
}
