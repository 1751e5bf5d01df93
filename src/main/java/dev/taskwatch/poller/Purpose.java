package dev.taskwatch.poller;

/**
 * Why a request is sent: what the {@link ListingPlan} asks for, and the class of budget it is counted in
 * ({@code taskwatch.poller.budget.requests{purpose}}).
 */
public enum Purpose {
    /** A page of the whole history: the first listing of a target without a stored position. */
    HISTORY,
    /** A page of the periodic safety sweep over the lookback, spent only while the target is idle. */
    SWEEP,
    /** A page of the tasks created since the last complete listing (with a margin for late-visible jobs). */
    NEW,
    /** A page of the tasks in status Running among those created before the NEW window. */
    RUNNING,
    /** One task by id: a known non-terminal task that this cycle's listings no longer showed. */
    BY_ID,
    /** One watched task by id ({@code taskwatch.watch-requests}). */
    WATCH,
    /** The repetition of a request after a 401 or a throttled answer. */
    RETRY;

    /**
     * The budget tag: {@code history}, {@code sweep}, {@code watch} and {@code retry} by name; the steady-state
     * requests count as {@code active} or {@code idle} by the target's state, which is what an operator sizing the
     * budget needs to see.
     */
    public String budgetTag(boolean active) {
        return switch (this) {
            case HISTORY -> "history";
            case SWEEP -> "sweep";
            case WATCH -> "watch";
            case RETRY -> "retry";
            case NEW, RUNNING, BY_ID -> active ? "active" : "idle";
        };
    }
}
