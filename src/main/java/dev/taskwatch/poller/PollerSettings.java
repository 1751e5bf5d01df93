package dev.taskwatch.poller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the poller as a whole (the configuration's {@code poller:} section binds into it; its keys, defaults
 * and texts are declared in the configuration's table of settings, which takes the defaults from here).
 *
 * @param requestTimeout        how long one HTTP request may take
 * @param maxPagesPerCycle      guard on list pages read in one cycle; the rest is read in the next cycle
 * @param watchNotFoundGrace    how long after {@code requested_at} a watched id answering "not found" is retried
 *                              before it is reported and released
 * @param backoffMax            cap of the exponential backoff and of honoured {@code Retry-After} values
 * @param jitter                relative jitter of the poll intervals, 0..1
 * @param backoffInitial        first backoff step before jitter (not a configuration key)
 * @param visibilityMargin      how far before the start of the last complete listing the next one reaches back, for
 *                              jobs that become visible in the list API late
 * @param sweepInterval         how often an idle target reads its whole lookback again, as a safety net
 * @param runningRefresh        an unchanged running task is published again after this long, so downstream state
 *                              cannot drift
 */
public record PollerSettings(
        Duration requestTimeout,
        int maxPagesPerCycle,
        Duration watchNotFoundGrace,
        Duration backoffMax,
        double jitter,
        Duration backoffInitial,
        Duration visibilityMargin,
        Duration sweepInterval,
        Duration runningRefresh) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_PAGES_PER_CYCLE = 50;
    public static final Duration DEFAULT_WATCH_NOT_FOUND_GRACE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMinutes(5);
    public static final double DEFAULT_JITTER = 0.2;
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_VISIBILITY_MARGIN = Duration.ofMinutes(2);
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofHours(1);
    public static final Duration DEFAULT_RUNNING_REFRESH = Duration.ofMinutes(5);

    /**
     * @throws IllegalArgumentException one line per broken rule, each starting with its component's name (the
     *                                  configuration checks the same rules first, naming the key)
     */
    public PollerSettings {
        List<String> problems = new ArrayList<>();
        add(problems, "requestTimeout", positive(requestTimeout));
        add(problems, "backoffMax", positive(backoffMax));
        add(problems, "backoffInitial", positive(backoffInitial));
        add(problems, "sweepInterval", positive(sweepInterval));
        add(problems, "runningRefresh", positive(runningRefresh));
        add(problems, "visibilityMargin", notNegative(visibilityMargin));
        add(problems, "watchNotFoundGrace", notNegative(watchNotFoundGrace));
        add(problems, "maxPagesPerCycle", atLeastOne(maxPagesPerCycle));
        add(problems, "jitter", fraction(jitter));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }

    // The rules of the values, each the one check of its kind: the constructor applies them, and so does the
    // configuration's table of settings to each key of the poller section. Each gives null when the value is valid.

    public static String positive(Duration d) {
        return d == null || d.isZero() || d.isNegative() ? "must be more than 0, got " + d : null;
    }

    public static String notNegative(Duration d) {
        return d == null || d.isNegative() ? "must be zero or positive, got " + d : null;
    }

    public static String atLeastOne(int n) {
        return n < 1 ? "must be at least 1, got " + n : null;
    }

    public static String fraction(double jitter) {
        return jitter >= 0 && jitter <= 1 ? null : "must be between 0 and 1, got " + jitter;
    }

    private static void add(List<String> problems, String name, String problem) {
        if (problem != null) {
            problems.add(name + ": " + problem);
        }
    }

    /** The settings of the five request and backoff keys, with the defaults of the others. */
    public PollerSettings(Duration requestTimeout, int maxPagesPerCycle, Duration watchNotFoundGrace,
            Duration backoffMax, double jitter) {
        this(requestTimeout, maxPagesPerCycle, watchNotFoundGrace, backoffMax, jitter, DEFAULT_BACKOFF_INITIAL);
    }

    /** The settings of the five request and backoff keys and the first backoff step, with the listing defaults. */
    public PollerSettings(Duration requestTimeout, int maxPagesPerCycle, Duration watchNotFoundGrace,
            Duration backoffMax, double jitter, Duration backoffInitial) {
        this(requestTimeout, maxPagesPerCycle, watchNotFoundGrace, backoffMax, jitter, backoffInitial,
                DEFAULT_VISIBILITY_MARGIN, DEFAULT_SWEEP_INTERVAL, DEFAULT_RUNNING_REFRESH);
    }

    /** These settings with other listing settings. */
    public PollerSettings withListing(Duration margin, Duration sweep, Duration refresh) {
        return new PollerSettings(requestTimeout, maxPagesPerCycle, watchNotFoundGrace, backoffMax, jitter,
                backoffInitial, margin, sweep, refresh);
    }

    public static PollerSettings defaults() {
        return new PollerSettings(DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_PAGES_PER_CYCLE, DEFAULT_WATCH_NOT_FOUND_GRACE,
                DEFAULT_BACKOFF_MAX, DEFAULT_JITTER);
    }
}
