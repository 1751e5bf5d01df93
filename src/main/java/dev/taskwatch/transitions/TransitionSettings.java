package dev.taskwatch.transitions;

import java.nio.file.Path;
import java.time.Duration;
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
 */
public record TransitionSettings(String applicationId, Duration stateRetention, Duration backfillThreshold,
        boolean progressEvents, String processingGuarantee, Path stateDir, Duration commitInterval,
        Duration retentionScanInterval) {

    public static final String DEFAULT_APPLICATION_ID = "taskwatch-transitions";
    public static final Duration DEFAULT_STATE_RETENTION = Duration.ofDays(35);
    /** The task-center APIs show tasks for about this long; the retention must exceed it. */
    public static final Duration API_VISIBILITY_WINDOW = Duration.ofDays(30);
    public static final Duration DEFAULT_BACKFILL_THRESHOLD = Duration.ofMinutes(10);
    public static final String EXACTLY_ONCE_V2 = "exactly_once_v2";
    public static final String AT_LEAST_ONCE = "at_least_once";
    public static final Duration DEFAULT_RETENTION_SCAN_INTERVAL = Duration.ofHours(1);

    public TransitionSettings {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("transitions.application-id must not be empty");
        }
        if (stateRetention == null || stateRetention.compareTo(API_VISIBILITY_WINDOW) <= 0) {
            throw new IllegalArgumentException("transitions.state-retention must be longer than 30 days (the"
                    + " task-center APIs show tasks for about 30 days, and a task whose state was deleted earlier"
                    + " would fire its events again when re-read), got " + human(stateRetention));
        }
        if (backfillThreshold == null || backfillThreshold.isNegative()) {
            throw new IllegalArgumentException("transitions.backfill-threshold must be zero or positive, got "
                    + human(backfillThreshold));
        }
        if (processingGuarantee == null) {
            processingGuarantee = EXACTLY_ONCE_V2;
        }
        processingGuarantee = processingGuarantee.trim().toLowerCase(Locale.ROOT);
        if (!processingGuarantee.equals(EXACTLY_ONCE_V2) && !processingGuarantee.equals(AT_LEAST_ONCE)) {
            throw new IllegalArgumentException("transitions.processing-guarantee must be " + EXACTLY_ONCE_V2 + " or "
                    + AT_LEAST_ONCE + ", got '" + processingGuarantee + "'");
        }
        if (commitInterval != null && (commitInterval.isNegative() || commitInterval.isZero())) {
            throw new IllegalArgumentException("transitions.commit-interval must be positive, got "
                    + human(commitInterval));
        }
        if (retentionScanInterval == null || retentionScanInterval.isNegative() || retentionScanInterval.isZero()) {
            throw new IllegalArgumentException("The retention scan interval must be positive, got "
                    + human(retentionScanInterval));
        }
    }

    /** The documented defaults. */
    public static TransitionSettings defaults() {
        return new TransitionSettings(DEFAULT_APPLICATION_ID, DEFAULT_STATE_RETENTION, DEFAULT_BACKFILL_THRESHOLD, true,
                EXACTLY_ONCE_V2, null, null, DEFAULT_RETENTION_SCAN_INTERVAL);
    }

    public TransitionSettings withApplicationId(String value) {
        return new TransitionSettings(value, stateRetention, backfillThreshold, progressEvents, processingGuarantee,
                stateDir, commitInterval, retentionScanInterval);
    }

    public TransitionSettings withStateRetention(Duration value) {
        return new TransitionSettings(applicationId, value, backfillThreshold, progressEvents, processingGuarantee,
                stateDir, commitInterval, retentionScanInterval);
    }

    public TransitionSettings withBackfillThreshold(Duration value) {
        return new TransitionSettings(applicationId, stateRetention, value, progressEvents, processingGuarantee,
                stateDir, commitInterval, retentionScanInterval);
    }

    public TransitionSettings withProgressEvents(boolean value) {
        return new TransitionSettings(applicationId, stateRetention, backfillThreshold, value, processingGuarantee,
                stateDir, commitInterval, retentionScanInterval);
    }

    public TransitionSettings withProcessingGuarantee(String value) {
        return new TransitionSettings(applicationId, stateRetention, backfillThreshold, progressEvents, value,
                stateDir, commitInterval, retentionScanInterval);
    }

    public TransitionSettings withStateDir(Path value) {
        return new TransitionSettings(applicationId, stateRetention, backfillThreshold, progressEvents,
                processingGuarantee, value, commitInterval, retentionScanInterval);
    }

    public TransitionSettings withCommitInterval(Duration value) {
        return new TransitionSettings(applicationId, stateRetention, backfillThreshold, progressEvents,
                processingGuarantee, stateDir, value, retentionScanInterval);
    }

    public TransitionSettings withRetentionScanInterval(Duration value) {
        return new TransitionSettings(applicationId, stateRetention, backfillThreshold, progressEvents,
                processingGuarantee, stateDir, commitInterval, value);
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
