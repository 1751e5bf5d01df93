package dev.taskwatch.model;

import dev.taskwatch.avro.TaskStatus;

/** Rules about a task's normalised status that the poller, the normalisation and the transitions share. */
public final class TaskStatuses {

    private TaskStatuses() {}

    /** COMPLETED, FAILED and CANCELED end a task: nothing follows them. */
    public static boolean isTerminal(TaskStatus status) {
        return status == TaskStatus.COMPLETED || status == TaskStatus.FAILED || status == TaskStatus.CANCELED;
    }
}
