package dev.taskwatch.transitions;

import dev.taskwatch.taskcenter.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The transitions' settings, validated on construction (messages name the components; the configuration's
 * {@code transitions:} section binds into it, and its table of settings applies the same rules first, naming the keys).
 *
 * @param applicationId        {@code transitions.application-id}: Kafka Streams application.id (group, transactional
 *                             ids, internal topic names)
 * @param stateRetention       {@code transitions.state-retention}: how long a task's state outlives the last snapshot
 *                             seen of it; must exceed the task-center APIs' ~30-day visibility window
 * @param backfillThreshold    {@code transitions.backfill-threshold}: a first-seen terminal task that ended longer ago
 *                             than this before detection gets {@code backfill=true}
 * @param progressEvents       {@code transitions.progress-events}: emit PROGRESSED events (STARTED and terminal events
 *                             are always emitted)
 * @param processingGuarantee  {@code transitions.processing-guarantee}: {@code exactly_once_v2} or {@code
 *                             at_least_once}
 * @param stateDir             {@code transitions.state-dir}: Kafka Streams state.dir, or null for Kafka's default
 * @param commitInterval       {@code transitions.commit-interval}: commit.interval.ms, or null for Kafka's default
 * @param retentionScanInterval how often the retention punctuator scans the store (wall-clock); not a config-file key,
 *                             1 hour unless a test needs otherwise
 * @param groupInstanceId      {@code transitions.group-instance-id}: static membership id (group.instance.id, see
 *                             {@link StaticMembership}), or null for dynamic membership
 * @param sessionTimeout       {@code transitions.session-timeout}: consumer session.timeout.ms, or null for
 *                             {@link #DEFAULT_STATIC_SESSION_TIMEOUT} with static membership and Kafka's default (45 s)
 *                             without
 */
public record TransitionSettings(String applicationId, Duration stateRetention, Duration backfillThreshold,
        boolean progressEvents, String processingGuarantee, Path stateDir, Duration commitInterval,
        Duration retentionScanInterval, String groupInstanceId, Duration sessionTimeout) {

    public static final String DEFAULT_APPLICATION_ID = "taskwatch-transitions";
    public static final Duration DEFAULT_STATE_RETENTION = Duration.ofDays(35);
    public static final Duration DEFAULT_BACKFILL_THRESHOLD = Duration.ofMinutes(10);
    public static final String EXACTLY_ONCE_V2 = "exactly_once_v2";
    public static final String AT_LEAST_ONCE = "at_least_once";
    public static final Duration DEFAULT_RETENTION_SCAN_INTERVAL = Duration.ofHours(1);
    /**
     * A static member that is gone longer than this loses its partitions to the other instances; one that comes back
     * within it gets them back without a rebalance. Two minutes cover a pod's restart (60 s termination grace, JVM
     * start, state store opening) with room to spare, and bound how long the partitions of an instance that never
     * returns (node lost, scaled down) wait before another instance takes them.
     */
    public static final Duration DEFAULT_STATIC_SESSION_TIMEOUT = Duration.ofMinutes(2);
    /** The brokers' default {@code group.min.session.timeout.ms} and {@code group.max.session.timeout.ms}. */
    static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(6);
    static final Duration MAX_SESSION_TIMEOUT = Duration.ofMinutes(30);

    /**
     * @throws IllegalArgumentException one line per broken rule, each starting with its component's name (the
     *                                  configuration checks the same rules first, naming the key)
     */
    public TransitionSettings {
        processingGuarantee = processingGuarantee == null ? EXACTLY_ONCE_V2 : normalGuarantee(processingGuarantee);
        // an empty value (e.g. an unset variable) means: no static membership
        groupInstanceId = groupInstanceId == null || groupInstanceId.isBlank() ? null : groupInstanceId.trim();
        List<String> problems = new ArrayList<>();
        add(problems, "applicationId", applicationIdProblem(applicationId));
        add(problems, "stateRetention", stateRetentionProblem(stateRetention));
        add(problems, "backfillThreshold", backfillThresholdProblem(backfillThreshold));
        add(problems, "processingGuarantee", processingGuaranteeProblem(processingGuarantee));
        add(problems, "commitInterval", commitInterval == null ? null : positiveProblem(commitInterval));
        add(problems, "retentionScanInterval", positiveProblem(retentionScanInterval));
        add(problems, "groupInstanceId", groupInstanceId == null ? null : groupInstanceIdProblem(groupInstanceId));
        add(problems, "sessionTimeout", sessionTimeout == null ? null : sessionTimeoutProblem(sessionTimeout));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }

    // The rules of the values, each the one check of its kind: the constructor applies them, and so does the
    // configuration's table of settings to each key of the transitions section. Each gives null for a valid value.

    public static String applicationIdProblem(String applicationId) {
        return applicationId == null || applicationId.isBlank() ? "must not be empty" : null;
    }

    public static String stateRetentionProblem(Duration stateRetention) {
        if (stateRetention != null && stateRetention.compareTo(Service.API_VISIBILITY) > 0) {
            return null;
        }
        // the retention must exceed the API's history: a task whose state was deleted while the API still shows it
        // would fire its events again when re-read
        return human(stateRetention) + (Service.API_VISIBILITY.equals(stateRetention) ? " equals" : " is below")
                + " the " + Service.API_VISIBILITY.toDays() + "-day API visibility window; use more than "
                + human(Service.API_VISIBILITY) + " (default " + human(DEFAULT_STATE_RETENTION) + ")";
    }

    public static String backfillThresholdProblem(Duration threshold) {
        return threshold == null || threshold.isNegative() ? "must be zero or positive, got " + human(threshold)
                : null;
    }

    /** Compared trimmed and in lower case, as the constructor stores it. */
    public static String processingGuaranteeProblem(String guarantee) {
        String normal = normalGuarantee(guarantee);
        return normal.equals(EXACTLY_ONCE_V2) || normal.equals(AT_LEAST_ONCE) ? null
                : "unknown value '" + normal + "' (one of " + EXACTLY_ONCE_V2 + ", " + AT_LEAST_ONCE + ")";
    }

    public static String positiveProblem(Duration d) {
        return d == null || d.isNegative() || d.isZero() ? "must be more than 0, got " + human(d) : null;
    }

    /** Kafka's rule for {@code group.instance.id}, on the trimmed id (blank means none and is valid). */
    public static String groupInstanceIdProblem(String id) {
        String trimmed = id.trim();
        return trimmed.isEmpty() || trimmed.length() <= StaticMembership.MAX_LENGTH
                && StaticMembership.VALID.matcher(trimmed).matches() ? null
                : "must be at most " + StaticMembership.MAX_LENGTH + " characters of letters, digits, '.', '_' and '-'"
                        + " (Kafka's rule), got '" + trimmed + "'";
    }

    public static String sessionTimeoutProblem(Duration timeout) {
        return timeout.compareTo(MIN_SESSION_TIMEOUT) < 0 || timeout.compareTo(MAX_SESSION_TIMEOUT) > 0
                ? "must be between 6s and 30m (the brokers' default group.min/max.session.timeout.ms), got "
                        + human(timeout) : null;
    }

    private static String normalGuarantee(String guarantee) {
        return guarantee.trim().toLowerCase(Locale.ROOT);
    }

    private static void add(List<String> problems, String name, String problem) {
        if (problem != null) {
            problems.add(name + ": " + problem);
        }
    }

    /** The documented defaults. */
    public static TransitionSettings defaults() {
        return new TransitionSettings(DEFAULT_APPLICATION_ID, DEFAULT_STATE_RETENTION, DEFAULT_BACKFILL_THRESHOLD, true,
                EXACTLY_ONCE_V2, null, null, DEFAULT_RETENTION_SCAN_INTERVAL, null, null);
    }

    public TransitionSettings withApplicationId(String value) {
        return new TransitionSettings(value, stateRetention, backfillThreshold, progressEvents, processingGuarantee,
                stateDir, commitInterval, retentionScanInterval, groupInstanceId, sessionTimeout);
    }

    public TransitionSettings withStateRetention(Duration value) {
        return new TransitionSettings(applicationId, value, backfillThreshold, progressEvents, processingGuarantee,
                stateDir, commitInterval, retentionScanInterval, groupInstanceId, sessionTimeout);
    }

    public TransitionSettings withBackfillThreshold(Duration value) {
        return new TransitionSettings(applicationId, stateRetention, value, progressEvents, processingGuarantee,
                stateDir, commitInterval, retentionScanInterval, groupInstanceId, sessionTimeout);
    }

    public TransitionSettings withProgressEvents(boolean value) {
        return new TransitionSettings(applicationId, stateRetention, backfillThreshold, value, processingGuarantee,
                stateDir, commitInterval, retentionScanInterval, groupInstanceId, sessionTimeout);
    }

    public TransitionSettings withProcessingGuarantee(String value) {
        return new TransitionSettings(applicationId, stateRetention, backfillThreshold, progressEvents, value,
                stateDir, commitInterval, retentionScanInterval, groupInstanceId, sessionTimeout);
    }

    public TransitionSettings withStateDir(Path value) {
        return new TransitionSettings(applicationId, stateRetention, backfillThreshold, progressEvents,
                processingGuarantee, value, commitInterval, retentionScanInterval, groupInstanceId,
                sessionTimeout);
    }

    public TransitionSettings withCommitInterval(Duration value) {
        return new TransitionSettings(applicationId, stateRetention, backfillThreshold, progressEvents,
                processingGuarantee, stateDir, value, retentionScanInterval, groupInstanceId,
                sessionTimeout);
    }

    public TransitionSettings withGroupInstanceId(String value) {
        return new TransitionSettings(applicationId, stateRetention, backfillThreshold, progressEvents,
                processingGuarantee, stateDir, commitInterval, retentionScanInterval, value, sessionTimeout);
    }

    public TransitionSettings withSessionTimeout(Duration value) {
        return new TransitionSettings(applicationId, stateRetention, backfillThreshold, progressEvents,
                processingGuarantee, stateDir, commitInterval, retentionScanInterval, groupInstanceId, value);
    }

    /** The session timeout to configure: the explicit one, else the static-membership default, else none (Kafka's). */
    public Duration effectiveSessionTimeout() {
        if (sessionTimeout != null) {
            return sessionTimeout;
        }
        return groupInstanceId != null ? DEFAULT_STATIC_SESSION_TIMEOUT : null;
    }

    /**
     * How stale the stored last-seen time may get before a snapshot that changes nothing refreshes it: a tenth of the
     * retention, so that a task polled every few seconds costs one store write every few days, not one per poll.
     */
    public Duration lastSeenRefreshInterval() {
        return stateRetention.dividedBy(10);
    }

    private static String human(Duration d) {
        if (d == null) {
            return "nothing";
        }
        return d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays())) ? d.toDays() + "d" : d.toString();
    }
}
