package dev.taskwatch.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events notify has handled (every matching rule delivered or dead-lettered them) whose offsets Kafka has not
 * confirmed yet, and the commit of those offsets.
 *
 * <p>Why it exists: a commit fails when the group coordinator cannot be reached (a broker bounce, the whole cluster
 * down: the commit times out) or when the member was removed from the group meanwhile ({@link CommitFailedException}
 * after a wait longer than {@code max.poll.interval.ms}, or a rebalance). Neither is the event's fault, and its webhook
 * calls have already happened, so notify neither stops nor calls again: the offset stays pending and goes with the
 * next attempt (offsets are cumulative, so a later offset of a partition covers the earlier ones), and the handled
 * offsets are remembered, so an event that a rebalance brings back (the position resets to the last committed offset)
 * is recognised and skipped instead of being delivered a second time.
 *
 * <p>A pending offset of a partition that was revoked or lost is dropped, never committed later: the partition may
 * have moved to another member, whose newer commit it would move back. The memory of handled events is kept, since
 * the partition may come back, and is bounded by {@link #CAPACITY}: entries of partitions without a pending commit are
 * evicted first (the worst case is then one repeated call with the same {@code Idempotency-Key}); when the memory holds
 * only pending events, {@link #full()} asks the caller to stop handling until a commit succeeds.
 *
 * <p>Not thread-safe: used by notify's one consumer thread, except {@link #trouble()}.
 */
final class PendingCommits {

    private static final Logger log = LoggerFactory.getLogger(PendingCommits.class);

    /** About 1 MB of remembered events: far more than a fetch buffer holds when the brokers fail under it. */
    static final int CAPACITY = 10_000;
    /** How long one commit may wait for the coordinator: a bounce moves it within seconds, an outage takes longer. */
    static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(15);
    /** After a failed commit, events go on being delivered and the commit is tried again at most this often. */
    static final Duration RETRY_EVERY = Duration.ofSeconds(5);

    private final Clock clock;
    private final int capacity;
    private final Duration commitTimeout;
    private final Map<TopicPartition, NavigableMap<Long, String>> handled = new HashMap<>();
    private final Map<TopicPartition, Long> toCommit = new HashMap<>();
    private int remembered;
    private Instant nextAttempt = Instant.MIN;
    private Instant lastWarning;
    private volatile String trouble;

    PendingCommits(Clock clock) {
        this(clock, CAPACITY, COMMIT_TIMEOUT);
    }

    PendingCommits(Clock clock, int capacity, Duration commitTimeout) {
        this.clock = Objects.requireNonNull(clock);
        this.capacity = capacity;
        this.commitTimeout = commitTimeout;
    }

    /** Whether this process already handled the event at {@code tp@offset}: a commit failed and it came back. */
    boolean alreadyHandled(TopicPartition tp, long offset, String eventId) {
        NavigableMap<Long, String> offsets = handled.get(tp);
        return offsets != null && idOf(eventId).equals(offsets.get(offset));
    }

    /** A record without an event id (undecodable, a null value) is remembered by its offset alone. */
    private static String idOf(String eventId) {
        return eventId == null ? "" : eventId;
    }

    /** The event at {@code tp@offset} was handled: its offset goes with the next successful commit. */
    void handled(TopicPartition tp, long offset, String eventId) {
        toCommit.merge(tp, offset + 1, Math::max);
        if (handled.computeIfAbsent(tp, k -> new TreeMap<>()).put(offset, idOf(eventId)) == null) {
            remembered++;
        }
        if (remembered > capacity) {
            evictOutsidePending();
        }
    }

    /** Whether the memory holds only events waiting for their commit: handle nothing more until one succeeds. */
    boolean full() {
        if (remembered < capacity) {
            return false;
        }
        int waiting = 0;
        for (TopicPartition tp : toCommit.keySet()) {
            NavigableMap<Long, String> offsets = handled.get(tp);
            waiting += offsets == null ? 0 : offsets.size();
        }
        return waiting >= capacity;
    }

    /** Whether offsets wait for a commit. */
    boolean pending() {
        return !toCommit.isEmpty();
    }

    /**
     * Commits the pending offsets, unless the last attempt failed less than {@link #RETRY_EVERY} ago. A coordinator
     * that cannot be reached or a member no longer in the group leaves them pending; any other failure is thrown.
     *
     * @return whether nothing is pending afterwards
     */
    boolean commit(Consumer<?, ?> consumer) {
        if (toCommit.isEmpty()) {
            return true;
        }
        if (clock.instant().isBefore(nextAttempt)) {
            return false;
        }
        return commit(consumer, Map.copyOf(toCommit));
    }

    private boolean commit(Consumer<?, ?> consumer, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((tp, next) -> commit.put(tp, new OffsetAndMetadata(next)));
        try {
            consumer.commitSync(commit, commitTimeout);
        } catch (RetriableException | CommitFailedException | RebalanceInProgressException e) {
            failed(e, offsets.size());
            return false;
        }
        offsets.forEach(this::committed);
        if (toCommit.isEmpty() && trouble != null) {
            log.info("Notify committed its position again; delivery goes on");
            trouble = null;
            lastWarning = null;
        }
        nextAttempt = Instant.MIN;
        return toCommit.isEmpty();
    }

    private void committed(TopicPartition tp, long next) {
        toCommit.remove(tp, next);
        NavigableMap<Long, String> offsets = handled.get(tp);
        if (offsets != null) {
            NavigableMap<Long, String> done = offsets.headMap(next, false);
            remembered -= done.size();
            done.clear();
            if (offsets.isEmpty()) {
                handled.remove(tp);
            }
        }
    }

    private void failed(KafkaException e, int partitions) {
        Instant now = clock.instant();
        nextAttempt = now.plus(RETRY_EVERY);
        trouble = "notify cannot commit its position (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                + "); " + remembered + " delivered event(s) wait for it and are not delivered again by this process";
        if (lastWarning == null || !now.isBefore(lastWarning.plus(Duration.ofMinutes(1)))) {
            lastWarning = now;
            log.warn("Notify cannot commit the offsets of {} partition(s) ({}: {}); delivery goes on, the commit is "
                    + "tried again every {} s", partitions, e.getClass().getSimpleName(), e.getMessage(),
                    RETRY_EVERY.toSeconds());
        }
    }

    /**
     * The partitions are being revoked (a cooperative hand-over, the member still in the group): one last commit of
     * theirs, then their pending offsets are dropped, whatever its outcome.
     */
    void revoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> theirs = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long next = toCommit.get(tp);
            if (next != null) {
                theirs.put(tp, next);
            }
        }
        if (!theirs.isEmpty()) {
            commit(consumer, theirs);
        }
        lost(partitions);
    }

    /** The partitions were lost (the member left the group): their pending offsets are no longer this member's. */
    void lost(Collection<TopicPartition> partitions) {
        partitions.forEach(toCommit::remove);
        if (toCommit.isEmpty()) {
            trouble = null;
        }
    }

    /** Why notify cannot commit now, if it cannot. */
    Optional<String> trouble() {
        return Optional.ofNullable(trouble);
    }

    /** Events remembered as handled and not known to be committed. */
    int remembered() {
        return remembered;
    }

    private void evictOutsidePending() {
        Iterator<Map.Entry<TopicPartition, NavigableMap<Long, String>>> it = handled.entrySet().iterator();
        while (remembered > capacity && it.hasNext()) {
            Map.Entry<TopicPartition, NavigableMap<Long, String>> entry = it.next();
            if (toCommit.containsKey(entry.getKey())) {
                continue;
            }
            NavigableMap<Long, String> offsets = entry.getValue();
            while (remembered > capacity && !offsets.isEmpty()) {
                offsets.pollFirstEntry();
                remembered--;
            }
            if (offsets.isEmpty()) {
                it.remove();
            }
        }
    }
}
