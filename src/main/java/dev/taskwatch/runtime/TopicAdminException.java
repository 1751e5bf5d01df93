package dev.taskwatch.runtime;

/** The topics taskwatch needs could not be created or checked; the message names the topic and what to do. */
public class TopicAdminException extends RuntimeException {

    public TopicAdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
