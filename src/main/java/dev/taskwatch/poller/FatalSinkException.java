package dev.taskwatch.poller;

/** Publishing can never succeed again; the poller stops rather than drop snapshots. */
public class FatalSinkException extends RuntimeException {

    public FatalSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
