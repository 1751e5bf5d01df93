package dev.taskwatch.transitions;

/** What {@link TransitionRules} decided for one snapshot (docs/design.md#transition-rules); one metric tag value each. */
public enum Outcome {
    /** Rule 1: observed before the stored snapshot; dropped. */
    STALE,
    /** Rule 2: same meaningful content as the stored snapshot; dropped. */
    DUPLICATE,
    /** Rule 3: the stored state is terminal; dropped (same terminal status, or a conflict already counted). */
    AFTER_TERMINAL,
    /** Rule 3: a terminal status different from the stored terminal one, seen for the first time; counted. */
    TERMINAL_CONFLICT,
    /** Rule 4: RUNNING with a progress below the stored maximum (a lagging replica); dropped. */
    LOWER_PROGRESS,
    /** Rules 4 and 6: accepted and stored, no event (PENDING, UNKNOWN, other fields changed, progress events off). */
    STORED_SILENTLY,
    /** Rules 4 and 5: accepted, stored, and one event emitted. */
    EMITTED;

    /** True when the snapshot was not accepted (the stored state stays, apart from a last-seen refresh). */
    public boolean dropped() {
        return this != STORED_SILENTLY && this != EMITTED;
    }
}
