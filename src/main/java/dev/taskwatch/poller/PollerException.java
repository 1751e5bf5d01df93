package dev.taskwatch.poller;

/** The poller stopped because of an error it cannot recover from (a fatal producer error). */
public class PollerException extends RuntimeException {

    public PollerException(String message, Throwable cause) {
        super(message, cause);
    }
}
