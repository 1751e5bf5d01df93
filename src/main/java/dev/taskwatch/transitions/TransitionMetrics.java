package dev.taskwatch.transitions;

import dev.taskwatch.avro.TaskEventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The Micrometer meters of the transitions topology (names as listed in docs/design.md#metrics):
 * {@code taskwatch.transitions.snapshots.in}, {@code .duplicates.dropped}, {@code .stale.dropped}, {@code .events}
 * (tag {@code type}), {@code .dlq}, {@code .terminal.conflicts}, {@code .outcomes} (tag {@code outcome}, every rule
 * outcome) and the gauge {@code .store.size}: the sum over the stores open in this process of RocksDB's estimate,
 * sampled by each processor on its own stream thread (at start, every {@link #STORE_SIZE_SAMPLE_INTERVAL} and after
 * each retention scan). Sampling on the stream thread, rather than reading RocksDB from the metrics scraper's thread,
 * avoids touching a store that a rebalance is closing at that moment.
 */
final class TransitionMetrics {

    static final Duration STORE_SIZE_SAMPLE_INTERVAL = Duration.ofSeconds(30);

    private final Counter snapshotsIn;
    private final Counter duplicates;
    private final Counter stale;
    private final Counter dlq;
    private final Counter conflicts;
    private final Map<TaskEventType, Counter> events = new EnumMap<>(TaskEventType.class);
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private final Map<Object, Long> storeSizes = new ConcurrentHashMap<>();

    TransitionMetrics(MeterRegistry registry) {
        snapshotsIn = Counter.builder("taskwatch.transitions.snapshots.in")
                .description("Snapshot records read, including bad ones").register(registry);
        duplicates = Counter.builder("taskwatch.transitions.duplicates.dropped")
                .description("Snapshots dropped as duplicates of the stored one").register(registry);
        stale = Counter.builder("taskwatch.transitions.stale.dropped")
                .description("Snapshots dropped because they were observed before the stored one").register(registry);
        dlq = Counter.builder("taskwatch.transitions.dlq")
                .description("Snapshot records sent to the dead letter topic").register(registry);
        conflicts = Counter.builder("taskwatch.transitions.terminal.conflicts")
                .description("Terminal statuses conflicting with the stored terminal one").register(registry);
        for (TaskEventType type : TaskEventType.values()) {
            events.put(type, Counter.builder("taskwatch.transitions.events")
                    .tag("type", type.name().toLowerCase(Locale.ROOT))
                    .description("Events emitted").register(registry));
        }
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("taskwatch.transitions.outcomes")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .description("Snapshots by the transition rules' decision").register(registry));
        }
        Gauge.builder("taskwatch.transitions.store.size", this, TransitionMetrics::storeSize)
                .description("Approximate number of task states held by this process").register(registry);
    }

    void snapshotIn() {
        snapshotsIn.increment();
    }

    void deadLettered() {
        dlq.increment();
    }

    void outcome(Outcome outcome) {
        outcomes.get(outcome).increment();
        switch (outcome) {
            case DUPLICATE -> duplicates.increment();
            case STALE -> stale.increment();
            case TERMINAL_CONFLICT -> conflicts.increment();
            default -> { }
        }
    }

    void emitted(TaskEventType type) {
        events.get(type).increment();
    }

    /** Records the size of the store of {@code owner} (a processor), sampled on its stream thread. */
    void storeSize(Object owner, KeyValueStore<?, ?> store) {
        storeSizes.put(owner, store.approximateNumEntries());
    }

    void storeClosed(Object owner) {
        storeSizes.remove(owner);
    }

    private double storeSize() {
        return storeSizes.values().stream().mapToLong(Long::longValue).sum();
    }
}
