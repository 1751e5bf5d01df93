package dev.taskwatch.poller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the poller as a whole: the {@code poller:} section of the configuration.
 *
 * @param requestTimeout        {@code poller.request-timeout}: how long one HTTP request may take (default 10 s)
 * @param maxPagesPerCycle      {@code poller.max-pages-per-cycle}: guard on list pages read in one cycle (default 50);
 *                              the rest is read in the next cycle
 * @param watchNotFoundGrace    {@code poller.watch-not-found-grace}: how long after {@code requested_at} a watched id
 *                              answering "not found" is retried before it is reported and released (default 60 s)
 * @param backoffMax            {@code poller.backoff-max}: cap of the exponential backoff and of honoured
 *                              {@code Retry-After} values (default 5 min)
 * @param jitter                {@code poller.jitter}: relative jitter of the poll intervals, 0..1 (default 0.2)
 * @param backoffInitial        first backoff step before jitter (not configurable in the YAML; default 1 s)
 * @param visibilityMargin      {@code poller.visibility-margin}: how far before the start of the last complete listing
 *                              the next one reaches back, for jobs that become visible in the list API late (default
 *                              2 min)
 * @param sweepInterval         {@code poller.sweep-interval}: how often an idle target reads its whole lookback again,
 *                              as a safety net (default 1 h)
 * @param runningRefresh        {@code poller.running-refresh}: an unchanged running task is published again after this
 *                              long, so downstream state cannot drift (default 5 min)
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

    /** @throws IllegalArgumentException one line per broken rule, each starting with its key path */
    public PollerSettings {
        List<String> problems = new ArrayList<>();
        requirePositive(requestTimeout, "poller.request-timeout", problems);
        requirePositive(backoffMax, "poller.backoff-max", problems);
        requirePositive(backoffInitial, "backoff-initial", problems);
        requirePositive(sweepInterval, "poller.sweep-interval", problems);
        requirePositive(runningRefresh, "poller.running-refresh", problems);
        if (visibilityMargin == null || visibilityMargin.isNegative()) {
            problems.add("poller.visibility-margin: must be zero or positive, got " + visibilityMargin);
        }
        if (watchNotFoundGrace == null || watchNotFoundGrace.isNegative()) {
            problems.add("poller.watch-not-found-grace: must be zero or positive, got " + watchNotFoundGrace);
        }
        if (maxPagesPerCycle < 1) {
            problems.add("poller.max-pages-per-cycle: must be at least 1, got " + maxPagesPerCycle);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            problems.add("poller.jitter: must be between 0 and 1, got " + jitter);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
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

    private static void requirePositive(Duration d, String key, List<String> problems) {
        if (d == null || d.isZero() || d.isNegative()) {
            problems.add(key + ": must be more than 0, got " + d);
        }
    }
}
