package dev.taskwatch.poller;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While Kafka cannot take snapshots, every credential's lane pauses instead of backing off the target whose publish
 * failed: no task-center request is made (an answer read now could not be published), and a cheap check
 * ({@link SnapshotSink#reachableAgain()}, no record and no API request) every {@link #PROBE_INTERVAL} resumes the lanes
 * within seconds of the cluster's return, however long it was away. With exponential backoff alone a target that met
 * a long outage waited up to {@code poller.backoff-max} (5 minutes) after the cluster was back.
 *
 * <p>Shared by the lanes of one poller, which share its sink: the first lane to find Kafka unreachable pauses them all,
 * and one check serves them all.
 */
final class PublishPause {

    private static final Logger LOG = LoggerFactory.getLogger(PublishPause.class);

    /** How often a paused poller checks whether Kafka is back (a check of a down cluster itself waits its timeout). */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

    private final SnapshotSink sink;
    /** When to check next while paused; null before the first check of a pause. */
    private Instant nextProbe;
    private Instant pausedSince;

    PublishPause(SnapshotSink sink) {
        this.sink = sink;
    }

    /** Whether the lanes are paused now: a target's failed publish then needs no backoff of its own. */
    boolean engaged() {
        return sink.kafkaUnreachable();
    }

    /**
     * Null when the lanes may run; else when to ask again. Checks Kafka at most once per {@link #PROBE_INTERVAL},
     * whichever lane asks.
     */
    synchronized Instant pausedUntil(Instant now) {
        if (!sink.kafkaUnreachable()) {
            nextProbe = null;
            pausedSince = null;
            return null;
        }
        if (pausedSince == null) {
            pausedSince = now;
            LOG.warn("Kafka unreachable: the poller pauses every target (no task-center requests) and checks every "
                    + "{} s whether Kafka is back", PROBE_INTERVAL.toSeconds());
        }
        if (nextProbe != null && now.isBefore(nextProbe)) {
            return nextProbe;
        }
        if (sink.reachableAgain()) {
            LOG.info("Kafka reachable again after {} s: the poller resumes", Duration.between(pausedSince, now)
                    .toSeconds());
            nextProbe = null;
            pausedSince = null;
            return null;
        }
        nextProbe = now.plus(PROBE_INTERVAL);
        return nextProbe;
    }
}
