package dev.taskwatch.poller;

/**
 * A request that got no usable response: {@link ResponseOutcome#TIMEOUT} (the whole exchange, body included, took
 * longer than the request timeout), {@link ResponseOutcome#CONNECTION} (refused, reset, unknown host), a redirect
 * (never followed: {@link ResponseOutcome#CLIENT_ERROR}) or a body larger than the response-size cap (outcome null:
 * malformed).
 */
public final class TransportException extends Exception {

    private final ResponseOutcome outcome;
    private final String label;

    public TransportException(ResponseOutcome outcome, String message, Throwable cause) {
        this(outcome, outcome == ResponseOutcome.TIMEOUT ? "timeout" : "connection", message, cause);
    }

    public TransportException(ResponseOutcome outcome, String label, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
        this.label = label;
    }

    /** The outcome, or null for a malformed (oversized) answer. */
    public ResponseOutcome outcome() {
        return outcome;
    }

    /** The bounded metric label and health tag: {@code timeout}, {@code connection}, {@code redirect}, {@code malformed}. */
    public String label() {
        return label;
    }

    /** Whether the next attempt follows the backoff schedule (a redirect waits for the slow interval). */
    public boolean backsOff() {
        return outcome == null || outcome.backsOff();
    }
}
