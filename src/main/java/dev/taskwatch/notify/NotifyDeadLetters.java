package dev.taskwatch.notify;

/**
 * Headers of a record in the notify dead-letter topic ({@code <prefix>notify.dlq}). The record keeps the event's key,
 * value and CloudEvents headers unchanged, so it can be replayed into the event topic or inspected with the same
 * tools; these headers say why and where.
 */
public final class NotifyDeadLetters {

    /** Why delivery stopped, e.g. {@code gave up after 8 attempts (retry.max-attempts): HTTP 503}. */
    public static final String REASON = "taskwatch.dlq.reason";
    /** The rule whose webhook failed. */
    public static final String RULE = "taskwatch.dlq.rule";
    /** How many calls were made. */
    public static final String ATTEMPTS = "taskwatch.dlq.attempts";
    /** {@code <topic>-<partition>@<offset>} of the event record. */
    public static final String SOURCE = "taskwatch.dlq.source";

    private NotifyDeadLetters() {}
}
