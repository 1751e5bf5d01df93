package dev.taskwatch.taskcenter;

/**
 * A task-center response that cannot be understood: invalid or truncated JSON, a missing mandatory field, a field of
 * the wrong type. The message names the service and what is wrong and may carry a short excerpt of the body, never a
 * credential.
 */
public class MalformedResponseException extends Exception {

    public MalformedResponseException(String message) {
        super(message);
    }

    public MalformedResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
