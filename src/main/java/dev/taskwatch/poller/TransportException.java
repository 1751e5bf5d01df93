package dev.taskwatch.poller;

/** A request that got no response: {@link ResponseOutcome#TIMEOUT} or {@link ResponseOutcome#CONNECTION}. */
public final class TransportException extends Exception {

    private final ResponseOutcome outcome;

    public TransportException(ResponseOutcome outcome, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
    }

    public ResponseOutcome outcome() {
        return outcome;
    }
}
