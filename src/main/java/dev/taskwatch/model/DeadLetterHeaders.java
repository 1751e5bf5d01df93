package dev.taskwatch.model;

/**
 * The headers taskwatch adds to a record on one of its dead-letter topics ({@link Topics#pollerDlq()}, {@link
 * Topics#snapshotsDlq()}, {@link Topics#notifyDlq()}). All values are UTF-8 strings. Every dead letter carries
 * {@link #REASON}; the other headers depend on the topic, as their comments say. A dead letter of the snapshot and
 * notify topics keeps the original record's key, value and headers, so it can be replayed.
 */
public final class DeadLetterHeaders {

    /**
     * Why, in words: the JSON path of the rejected element ({@code jobs[3].status is missing}, poller), {@link
     * #REASON_DESERIALIZATION} or {@link #REASON_INVALID_SNAPSHOT} (snapshots), or why delivery stopped ({@code gave
     * up after 8 attempts (retry.max-attempts): HTTP 503}, notify).
     */
    public static final String REASON = "taskwatch.dlq.reason";
    /**
     * Where the record came from: endpoint and path of the task-center response, no query and no credentials
     * (poller); {@code <topic>-<partition>@<offset>} of the event record (notify).
     */
    public static final String SOURCE = "taskwatch.dlq.source";

    /** Poller: the name of the target whose response held the element. */
    public static final String TARGET = "taskwatch.dlq.target";

    /** Snapshots: topic, partition and offset of the original record, and the error that rejected it. */
    public static final String TOPIC = "taskwatch.dlq.topic";
    public static final String PARTITION = "taskwatch.dlq.partition";
    public static final String OFFSET = "taskwatch.dlq.offset";
    public static final String ERROR_CLASS = "taskwatch.dlq.error.class";
    public static final String ERROR_MESSAGE = "taskwatch.dlq.error.message";
    /** Snapshots: the key or value bytes are unreadable. */
    public static final String REASON_DESERIALIZATION = "deserialization";
    /** Snapshots: missing key fields, key and value disagree, or no key. */
    public static final String REASON_INVALID_SNAPSHOT = "invalid-snapshot";

    /** Notify: the rule whose webhook failed, {@code *} for an event no rule could read. */
    public static final String RULE = "taskwatch.dlq.rule";
    /** Notify: how many calls were made. */
    public static final String ATTEMPTS = "taskwatch.dlq.attempts";

    private DeadLetterHeaders() {}
}
