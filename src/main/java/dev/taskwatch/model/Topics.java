package dev.taskwatch.model;

import dev.taskwatch.avro.TaskEventType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Topic names (docs/design.md#data-contract). The default prefix {@code taskwatch.} can be replaced as a whole, e.g. {@code
 * team-a.taskwatch.}; the rest of each name is fixed.
 */
public record Topics(String prefix) {

    public static final String DEFAULT_PREFIX = "taskwatch.";

    /** The event types that get a topic of their own (every type except UNKNOWN). */
    public static final List<TaskEventType> PER_TYPE = Arrays.stream(TaskEventType.values())
            .filter(t -> t != TaskEventType.UNKNOWN).toList();

    public Topics {
        if (prefix == null) {
            throw new IllegalArgumentException("Topic prefix must not be null");
        }
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String snapshots() {
        return prefix + "task-snapshots";
    }

    public String snapshotsDlq() {
        return prefix + "task-snapshots.dlq";
    }

    public String events() {
        return prefix + "task-events";
    }

    /** The topic for events of one type, e.g. {@code taskwatch.task-events.completed}. */
    public String eventsOf(TaskEventType type) {
        return events() + "." + type.name().toLowerCase(Locale.ROOT);
    }

    /** Task elements the poller could not read: raw excerpt as value, reason/target/source as headers. */
    public String pollerDlq() {
        return prefix + "poller.dlq";
    }

    public String watchRequests() {
        return prefix + "watch-requests";
    }

    /** Dead letters of {@code taskwatch notify}: events a rule's webhook could not take. */
    public String notifyDlq() {
        return prefix + "notify.dlq";
    }

    /** Compacted: where each target's poller stands (key = target name, value = JSON position). */
    public String pollerPositions() {
        return prefix + "poller-positions";
    }

    /** Every topic taskwatch reads or writes (for creating them up front). */
    public List<String> all() {
        return Stream.concat(Stream.of(snapshots(), snapshotsDlq(), pollerDlq(), events(), watchRequests(),
                        notifyDlq(), pollerPositions()),
                PER_TYPE.stream().map(this::eventsOf)).toList();
    }
}
