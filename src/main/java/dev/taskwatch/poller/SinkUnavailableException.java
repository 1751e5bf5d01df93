package dev.taskwatch.poller;

/** Publishing failed for now; retry later. */
public class SinkUnavailableException extends Exception {

    public SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
