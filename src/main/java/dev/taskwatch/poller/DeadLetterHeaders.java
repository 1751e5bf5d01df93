package dev.taskwatch.poller;

/** The headers of a record on the poller's dead-letter topic ({@code <prefix>poller.dlq}). */
public final class DeadLetterHeaders {

    /** Why the element was rejected, naming the JSON path, e.g. {@code jobs[3].status is missing}. */
    public static final String REASON = "taskwatch.dlq.reason";
    /** The name of the target whose response held the element. */
    public static final String TARGET = "taskwatch.dlq.target";
    /** Endpoint and path of the response (no query, no credentials). */
    public static final String SOURCE = "taskwatch.dlq.source";

    private DeadLetterHeaders() {}
}
