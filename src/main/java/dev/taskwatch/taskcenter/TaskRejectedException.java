package dev.taskwatch.taskcenter;

/** A get-by-id answer that is a readable document whose one task cannot be read or normalised. */
public class TaskRejectedException extends MalformedResponseException {

    private final transient TaskReject reject;

    public TaskRejectedException(String message, TaskReject reject) {
        super(message);
        this.reject = reject;
    }

    public TaskReject reject() {
        return reject;
    }
}
