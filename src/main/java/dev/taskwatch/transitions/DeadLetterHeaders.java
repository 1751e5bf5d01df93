package dev.taskwatch.transitions;

/**
 * Headers added to a record copied to {@code taskwatch.task-snapshots.dlq}; the record keeps its original key, value
 * bytes and headers. All values are UTF-8 strings.
 */
public final class DeadLetterHeaders {

    /** Why: {@code deserialization} (key or value bytes unreadable), {@code invalid-snapshot} (missing key fields, key
     *  and value disagree, no key). */
    public static final String REASON = "taskwatch.dlq.reason";
    public static final String TOPIC = "taskwatch.dlq.topic";
    public static final String PARTITION = "taskwatch.dlq.partition";
    public static final String OFFSET = "taskwatch.dlq.offset";
    public static final String ERROR_CLASS = "taskwatch.dlq.error.class";
    public static final String ERROR_MESSAGE = "taskwatch.dlq.error.message";

    public static final String REASON_DESERIALIZATION = "deserialization";
    public static final String REASON_INVALID_SNAPSHOT = "invalid-snapshot";

    private DeadLetterHeaders() {}
}
