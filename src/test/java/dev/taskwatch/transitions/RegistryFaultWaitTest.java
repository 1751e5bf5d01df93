package dev.taskwatch.transitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.serde.RegistryFault;
import dev.taskwatch.serde.SchemaRegistryClient;
import dev.taskwatch.serde.SchemaRegistryUnavailableException;
import dev.taskwatch.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class RegistryFaultWaitTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final List<Duration> sleeps = new ArrayList<>();
    private final RegistryFaultWait.Sleeper sleeper = d -> {
        sleeps.add(d);
        clock.advance(d);
    };

    /** A registry that is down until the clock reaches {@code backAt}; counts the pings. */
    private final class Registry implements SchemaRegistryClient {
        Instant backAt;
        int pings;

        Registry(Instant backAt) {
            this.backAt = backAt;
        }

        @Override
        public void ping() {
            pings++;
            if (clock.instant().isBefore(backAt)) {
                throw new SchemaRegistryUnavailableException("schema registry unreachable at http://r", null);
            }
        }

        @Override
        public Optional<String> problem() {
            return clock.instant().isBefore(backAt) ? Optional.of("down") : Optional.empty();
        }

        @Override public int register(String s, Schema schema) { throw new UnsupportedOperationException(); }
        @Override public Schema getById(int id) { throw new UnsupportedOperationException(); }
        @Override public Optional<dev.taskwatch.serde.RegisteredSchema> lookup(String s, Schema schema) {
            throw new UnsupportedOperationException();
        }
        @Override public dev.taskwatch.serde.RegisteredSchema latest(String s) {
            throw new UnsupportedOperationException();
        }
        @Override public dev.taskwatch.serde.CompatibilityResult testCompatibility(String s, Schema schema) {
            throw new UnsupportedOperationException();
        }
        @Override public String getCompatibility(String s) { throw new UnsupportedOperationException(); }
        @Override public void setCompatibility(String s, String level) { throw new UnsupportedOperationException(); }
    }

    private Duration waited(Instant since) {
        return Duration.between(since, clock.instant());
    }

    @Test
    void anOutageEndsWithinOnePingIntervalOfTheRegistrysReturn() throws InterruptedException {
        Instant start = clock.instant();
        Registry registry = new Registry(start.plusMillis(12_300));
        RegistryFaultWait wait = new RegistryFaultWait(registry, clock, sleeper);

        assertThat(wait.await(RegistryFault.UNAVAILABLE, () -> false)).isTrue();

        assertThat(waited(start)).isBetween(Duration.ofMillis(12_300),
                Duration.ofMillis(12_300).plus(RegistryFaultWait.PING_INTERVAL));
        assertThat(sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(RegistryFaultWait.PING_INTERVAL));
    }

    @Test
    void aRegistryThatNeverReturnsIsRetriedAfterTheMaximumWaitNotNever() throws InterruptedException {
        Instant start = clock.instant();
        RegistryFaultWait wait = new RegistryFaultWait(new Registry(Instant.MAX), clock, sleeper);

        assertThat(wait.await(RegistryFault.UNAVAILABLE, () -> false)).isFalse();

        assertThat(waited(start)).isEqualTo(RegistryFaultWait.MAX_WAIT);
    }

    @Test
    void consecutiveOutagesBackOffBeforeTheFirstPingUpToTheCap() throws InterruptedException {
        Registry registry = new Registry(clock.instant()); // answers at once: only the backoff is waited
        RegistryFaultWait wait = new RegistryFaultWait(registry, clock, sleeper);
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Instant start = clock.instant();
            wait.await(RegistryFault.UNAVAILABLE, () -> false);
            waits.add(waited(start));
        }
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    @Test
    void anOutageLongAfterTheLastOneStartsTheBackoffAgain() throws InterruptedException {
        RegistryFaultWait wait = new RegistryFaultWait(new Registry(clock.instant()), clock, sleeper);
        wait.await(RegistryFault.UNAVAILABLE, () -> false);
        wait.await(RegistryFault.UNAVAILABLE, () -> false);
        clock.advance(RegistryFaultWait.RESET_AFTER.plusSeconds(1));

        Instant start = clock.instant();
        wait.await(RegistryFault.UNAVAILABLE, () -> false);

        assertThat(waited(start)).isEqualTo(RegistryFaultWait.FIRST_BACKOFF);
        assertThat(wait.consecutive()).isEqualTo(1);
    }

    @Test
    void aRefusalWaitsAMinuteWithoutPingingBecauseNoPingCanTellWhetherItWasFixed() throws InterruptedException {
        Registry registry = new Registry(clock.instant());
        Instant start = clock.instant();

        boolean answers = new RegistryFaultWait(registry, clock, sleeper).await(RegistryFault.REFUSED, () -> false);

        assertThat(answers).isFalse();
        assertThat(waited(start)).isEqualTo(RegistryFaultWait.REFUSED_WAIT);
        assertThat(registry.pings).isZero();
    }

    @Test
    void aStopEndsTheWaitWithinOneSleep() throws InterruptedException {
        Instant start = clock.instant();
        Instant stopAt = start.plusSeconds(3);
        RegistryFaultWait wait = new RegistryFaultWait(new Registry(Instant.MAX), clock, sleeper);

        assertThat(wait.await(RegistryFault.UNAVAILABLE, () -> !clock.instant().isBefore(stopAt))).isFalse();

        assertThat(waited(start)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void withoutAClientToPingAnOutageWaitsTheMaximum() throws InterruptedException {
        Instant start = clock.instant();
        assertThat(new RegistryFaultWait(null, clock, sleeper).await(RegistryFault.UNAVAILABLE, () -> false))
                .isFalse();
        assertThat(waited(start)).isEqualTo(RegistryFaultWait.MAX_WAIT);
    }
}
