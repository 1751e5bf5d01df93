package dev.taskwatch.transitions;

import dev.taskwatch.serde.RegistryFault;
import dev.taskwatch.serde.SchemaRegistryClient;
import dev.taskwatch.serde.SchemaRegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * How long a stream thread that a schema registry fault stopped waits before it is replaced: long enough that an
 * outage does not turn into a replacement loop (each replacement rebalances and, under exactly-once, restores the
 * thread's stores from their changelogs), short enough that events resume within seconds of the registry's return.
 *
 * <ul>
 *   <li>{@link RegistryFault#UNAVAILABLE}: at least the backoff ({@link #FIRST_BACKOFF} doubling per consecutive fault,
 *       at most {@link #MAX_BACKOFF}), then the registry is pinged every {@link #PING_INTERVAL} until it answers, for
 *       at most {@link #MAX_WAIT} in all (so that a thread is retried even if the ping's path answers differently from
 *       the failing call's).</li>
 *   <li>{@link RegistryFault#REFUSED} (401, 403, an incompatible schema): {@link #REFUSED_WAIT}. No ping can tell
 *       whether an operator fixed it, and a wait that long keeps a lasting refusal from costing a rebalance a second.
 *       </li>
 * </ul>
 * Faults more than {@link #RESET_AFTER} apart count as a new series. The wait ends early when {@code stopping} turns
 * true (the application closes). Clock and sleeper are injected: tests never sleep.
 */
public final class RegistryFaultWait {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration PING_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    static final Duration REFUSED_WAIT = Duration.ofSeconds(60);
    static final Duration RESET_AFTER = Duration.ofMinutes(5);

    /** Waits; the real one is {@code Thread.sleep}. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d.toMillis());
    }

    private final SchemaRegistryClient registry;
    private final Clock clock;
    private final Sleeper sleeper;
    private int consecutive;
    private Instant lastFault;

    /**
     * @param registry what to ping; null when the caller has no client (then an outage waits {@link #MAX_WAIT})
     */
    public RegistryFaultWait(SchemaRegistryClient registry, Clock clock, Sleeper sleeper) {
        this.registry = registry;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The backoff before the first ping after the {@code n}th consecutive fault (1-based). */
    static Duration backoff(int n) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(Math.max(n, 1) - 1, 20);
        return millis > MAX_BACKOFF.toMillis() ? MAX_BACKOFF : Duration.ofMillis(millis);
    }

    /**
     * Waits out {@code fault}.
     *
     * @return whether the registry answered a ping at the end (false after a refusal, a timeout or a stop)
     */
    public synchronized boolean await(RegistryFault fault, BooleanSupplier stopping) throws InterruptedException {
        Instant start = clock.instant();
        if (lastFault != null && Duration.between(lastFault, start).compareTo(RESET_AFTER) > 0) {
            consecutive = 0;
        }
        consecutive++;
        lastFault = start;
        if (fault == RegistryFault.REFUSED) {
            sleepUntil(start.plus(REFUSED_WAIT), stopping);
            return false;
        }
        sleepUntil(start.plus(backoff(consecutive)), stopping);
        Instant deadline = start.plus(MAX_WAIT);
        while (!stopping.getAsBoolean()) {
            if (registry != null && answers()) {
                return true;
            }
            if (!clock.instant().isBefore(deadline)) {
                return false;
            }
            sleeper.sleep(PING_INTERVAL);
        }
        return false;
    }

    /** How many registry faults in a row this wait has seen (for logs). */
    public synchronized int consecutive() {
        return consecutive;
    }

    private boolean answers() {
        try {
            registry.ping();
            return true;
        } catch (SchemaRegistryException e) {
            return false;
        }
    }

    /** Sleeps in {@link #PING_INTERVAL} steps so that a stop is noticed within one. */
    private void sleepUntil(Instant end, BooleanSupplier stopping) throws InterruptedException {
        while (!stopping.getAsBoolean()) {
            Duration left = Duration.between(clock.instant(), end);
            if (left.isZero() || left.isNegative()) {
                return;
            }
            sleeper.sleep(left.compareTo(PING_INTERVAL) < 0 ? left : PING_INTERVAL);
        }
    }

    /** The registry's own account of its problem, if the client keeps one. */
    Optional<String> registryProblem() {
        return registry == null ? Optional.empty() : registry.problem();
    }
}
