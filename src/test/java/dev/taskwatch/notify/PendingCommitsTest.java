package dev.taskwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class PendingCommitsTest {

    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ScriptedConsumer consumer = new ScriptedConsumer();

    /** A consumer whose commits fail as scripted, and which records the offsets of every commit that went through. */
    private static final class ScriptedConsumer extends MockConsumer<byte[], byte[]> {
        final Deque<KafkaException> failures = new ArrayDeque<>();
        final List<Map<TopicPartition, Long>> commits = new ArrayList<>();
        int attempts;

        ScriptedConsumer() {
            super("earliest");
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            attempts++;
            KafkaException failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
            Map<TopicPartition, Long> plain = new HashMap<>();
            offsets.forEach((tp, o) -> plain.put(tp, o.offset()));
            commits.add(plain);
        }
    }

    /** Handles the event at {@code tp@offset} and tries its commit, which fails with {@code failure}. */
    private boolean handledButNotCommitted(PendingCommits pending, TopicPartition tp, long offset, String id,
            KafkaException failure) {
        consumer.failures.add(failure);
        pending.handled(tp, offset, id);
        return pending.commit(consumer);
    }

    @Test
    void shouldCommitTheNextOffsetAndForgetTheEventWhenTheCommitSucceeds() {
        PendingCommits pending = new PendingCommits(clock);
        pending.handled(P0, 7, "e-7");

        assertThat(pending.commit(consumer)).isTrue();

        assertThat(consumer.commits).containsExactly(Map.of(P0, 8L));
        assertThat(pending.alreadyHandled(P0, 7, "e-7")).isFalse();
        assertThat(pending.remembered()).isZero();
        assertThat(pending.trouble()).isEmpty();
    }

    @Test
    void shouldKeepTheOffsetAndRememberTheEventWhenTheCommitTimesOut() {
        PendingCommits pending = new PendingCommits(clock);

        assertThat(handledButNotCommitted(pending, P0, 7, "e-7",
                new TimeoutException("Timeout of 15000ms expired before successfully committing"))).isFalse();

        assertThat(pending.pending()).isTrue();
        assertThat(pending.alreadyHandled(P0, 7, "e-7")).isTrue();
        assertThat(pending.trouble()).hasValueSatisfying(t -> assertThat(t)
                .contains("cannot commit its position", "TimeoutException", "1 delivered event(s)"));
    }

    @Test
    void shouldTryAFailedCommitAgainOnlyAfterTheRetryIntervalWhileEventsGoOn() {
        PendingCommits pending = new PendingCommits(clock);
        handledButNotCommitted(pending, P0, 7, "e-7", new TimeoutException("coordinator unreachable"));

        pending.handled(P0, 8, "e-8");
        assertThat(pending.commit(consumer)).isFalse();
        clock.advance(PendingCommits.RETRY_EVERY.minusMillis(1));
        assertThat(pending.commit(consumer)).isFalse();
        assertThat(consumer.attempts).as("no attempt within the retry interval").isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(pending.commit(consumer)).isTrue();
        assertThat(consumer.commits).as("one commit covers both events").containsExactly(Map.of(P0, 9L));
        assertThat(pending.remembered()).isZero();
        assertThat(pending.trouble()).isEmpty();
    }

    @Test
    void shouldTreatAnEvictedMemberAsACommitToRetryNotAsAFailure() {
        PendingCommits pending = new PendingCommits(clock);

        assertThat(handledButNotCommitted(pending, P1, 3, "e-3",
                new CommitFailedException("member was removed from the group"))).isFalse();

        assertThat(pending.alreadyHandled(P1, 3, "e-3")).isTrue();
        assertThat(pending.trouble()).hasValueSatisfying(t -> assertThat(t).contains("CommitFailedException"));
    }

    @Test
    void shouldThrowACommitFailureThatWaitingCannotCure() {
        PendingCommits pending = new PendingCommits(clock);
        consumer.failures.add(new GroupAuthorizationException("not authorized to access group"));
        pending.handled(P0, 1, "e-1");

        assertThatThrownBy(() -> pending.commit(consumer)).isInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void shouldDropTheOffsetsOfLostPartitionsButStillRecogniseTheirEventsWhenTheyComeBack() {
        PendingCommits pending = new PendingCommits(clock);
        handledButNotCommitted(pending, P0, 7, "e-7", new TimeoutException("coordinator unreachable"));

        pending.lost(List.of(P0));

        assertThat(pending.pending()).as("never commit for a partition another member may own").isFalse();
        assertThat(pending.trouble()).isEmpty();
        assertThat(pending.alreadyHandled(P0, 7, "e-7")).isTrue();
        // assigned again, the position reset to the committed 7: the event is recognised, only its commit is owed
        pending.handled(P0, 7, "e-7");
        clock.advance(PendingCommits.RETRY_EVERY);
        assertThat(pending.commit(consumer)).isTrue();
        assertThat(consumer.commits).containsExactly(Map.of(P0, 8L));
    }

    @Test
    void shouldCommitRevokedPartitionsOnceThenDropThemEvenWhenThatCommitFails() {
        PendingCommits pending = new PendingCommits(clock);
        pending.handled(P0, 4, "e-4");
        pending.handled(P1, 9, "e-9");
        consumer.failures.add(new TimeoutException("first attempt"));
        pending.commit(consumer);
        consumer.failures.add(new TimeoutException("coordinator still unreachable"));

        pending.revoked(consumer, List.of(P1));

        assertThat(consumer.attempts).as("the revocation commits at once, regardless of the retry interval")
                .isEqualTo(2);
        clock.advance(PendingCommits.RETRY_EVERY);
        assertThat(pending.commit(consumer)).isTrue();
        assertThat(consumer.commits).as("the revoked partition's offset is not committed later")
                .containsExactly(Map.of(P0, 5L));
        assertThat(pending.alreadyHandled(P1, 9, "e-9")).isTrue();
    }

    @Test
    void shouldNotTakeAnotherEventAtARememberedOffsetForTheHandledOne() {
        PendingCommits pending = new PendingCommits(clock);
        handledButNotCommitted(pending, P0, 7, "e-7", new TimeoutException("coordinator unreachable"));

        assertThat(pending.alreadyHandled(P0, 7, "other")).isFalse();
        assertThat(pending.alreadyHandled(P0, 8, "e-7")).isFalse();
    }

    @Test
    void shouldRecogniseARecordWithoutAnEventIdByItsOffset() {
        PendingCommits pending = new PendingCommits(clock);
        handledButNotCommitted(pending, P0, 7, null, new TimeoutException("coordinator unreachable"));

        assertThat(pending.alreadyHandled(P0, 7, null)).isTrue();
        assertThat(pending.alreadyHandled(P0, 7, "e-7")).isFalse();
    }

    @Test
    void shouldEvictEventsOfPartitionsWithoutAPendingCommitBeforeReportingFull() {
        PendingCommits pending = new PendingCommits(clock, 3, Duration.ofSeconds(1));
        consumer.failures.add(new TimeoutException("down"));
        pending.handled(P1, 1, "old-1");
        pending.handled(P1, 2, "old-2");
        pending.commit(consumer);
        pending.lost(List.of(P1));

        pending.handled(P0, 1, "new-1");
        pending.handled(P0, 2, "new-2");

        assertThat(pending.remembered()).isEqualTo(3);
        assertThat(pending.alreadyHandled(P1, 1, "old-1")).as("the oldest event of a lost partition went first")
                .isFalse();
        assertThat(pending.alreadyHandled(P1, 2, "old-2")).isTrue();
        assertThat(pending.full()).as("an event of a lost partition can still make room").isFalse();

        pending.handled(P0, 3, "new-3");
        assertThat(pending.alreadyHandled(P1, 2, "old-2")).isFalse();
        assertThat(pending.alreadyHandled(P0, 1, "new-1")).isTrue();
        assertThat(pending.full()).as("only events waiting for their commit").isTrue();

        clock.advance(PendingCommits.RETRY_EVERY);
        pending.commit(consumer);
        assertThat(pending.full()).isFalse();
    }
}
