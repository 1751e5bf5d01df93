package dev.taskwatch.transitions;

import dev.taskwatch.taskcenter.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code transitions:} settings of the config file (kebab-case keys in the messages), validated on construction.
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

    /** @throws IllegalArgumentException one line per broken rule, each starting with its key path */
    public TransitionSettings {
        List<String> problems = new ArrayList<>();
        if (applicationId == null || applicationId.isBlank()) {
            problems.add("transitions.application-id: must not be empty");
        }
        if (stateRetention == null || stateRetention.compareTo(Service.API_VISIBILITY) <= 0) {
            // the retention must exceed the API's history: a task whose state was deleted while the API still shows it would fire its events again when re-read
            problems.add("transitions.state-retention: " + human(stateRetention)
                    + (Service.API_VISIBILITY.equals(stateRetention) ? " equals" : " is below") + " the "
                    + Service.API_VISIBILITY.toDays() + "-day API visibility window; use more than "
                    + human(Service.API_VISIBILITY) + " (default " + human(DEFAULT_STATE_RETENTION) + ")");
        }
        if (backfillThreshold == null || backfillThreshold.isNegative()) {
            problems.add("transitions.backfill-threshold: must be zero or positive, got " + human(backfillThreshold));
        }
        if (processingGuarantee == null) {
            processingGuarantee = EXACTLY_ONCE_V2;
        }
        processingGuarantee = processingGuarantee.trim().toLowerCase(Locale.ROOT);
        if (!processingGuarantee.equals(EXACTLY_ONCE_V2) && !processingGuarantee.equals(AT_LEAST_ONCE)) {
            problems.add("transitions.processing-guarantee: unknown value '" + processingGuarantee + "' (one of "
                    + EXACTLY_ONCE_V2 + ", " + AT_LEAST_ONCE + ")");
        }
        if (commitInterval != null && (commitInterval.isNegative() || commitInterval.isZero())) {
            problems.add("transitions.commit-interval: must be more than 0, got " + human(commitInterval));
        }
        if (retentionScanInterval == null || retentionScanInterval.isNegative() || retentionScanInterval.isZero()) {
            problems.add("retention scan interval: must be more than 0, got " + human(retentionScanInterval));
        }
        if (groupInstanceId != null) {
            groupInstanceId = groupInstanceId.trim();
            if (groupInstanceId.isEmpty()) {
                groupInstanceId = null; // an empty value (e.g. an unset variable) means: no static membership
            } else if (groupInstanceId.length() > StaticMembership.MAX_LENGTH
                    || !StaticMembership.VALID.matcher(groupInstanceId).matches()) {
                problems.add("transitions.group-instance-id: must be at most " + StaticMembership.MAX_LENGTH
                        + " characters of letters, digits, '.', '_' and '-' (Kafka's rule), got '" + groupInstanceId
                        + "'");
            }
        }
        if (sessionTimeout != null && (sessionTimeout.compareTo(MIN_SESSION_TIMEOUT) < 0
                || sessionTimeout.compareTo(MAX_SESSION_TIMEOUT) > 0)) {
            problems.add("transitions.session-timeout: must be between 6s and 30m (the brokers' default"
                    + " group.min/max.session.timeout.ms), got " + human(sessionTimeout));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
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
