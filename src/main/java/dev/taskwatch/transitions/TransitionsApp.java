package dev.taskwatch.transitions;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the transitions topology: start, await shutdown, rethrow the captured error.
 *
 * <p>An exception that kills a stream thread is captured (the first one), logged, and shuts the whole client down
 * ({@code SHUTDOWN_CLIENT}): a half-working instance would silently stop emitting for some partitions. {@link #run}
 * then throws {@link TransitionsFailedException}, which the command line turns into a non-zero exit; a caller that
 * manages the lifecycle itself reads {@link #failure()}. Nothing is swallowed.
 *
 * <p>Typical use by the runtime: {@code app.start(); app.awaitReady(timeout)} for readiness, {@code app.streams()} to
 * bind Kafka client metrics, and {@code app.close(timeout)} from the shutdown hook; or simply {@code app.run(timeout)}.
 */
public final class TransitionsApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransitionsApp.class);

    private final KafkaStreams streams;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final CloseOptions.GroupMembershipOperation onClose;

    public TransitionsApp(Properties streamsProps, Topology topology) {
        this(new KafkaStreams(topology, streamsProps), StaticMembership.isStatic(streamsProps));
    }

    /** With Kafka clients from {@code clientSupplier} (tests inject failing clients through it). */
    public TransitionsApp(Properties streamsProps, Topology topology, KafkaClientSupplier clientSupplier) {
        this(new KafkaStreams(topology, streamsProps, clientSupplier), StaticMembership.isStatic(streamsProps));
    }

    private TransitionsApp(KafkaStreams streams, boolean staticMember) {
        this.streams = streams;
        this.onClose = StaticMembership.onCleanClose(staticMember);
        streams.setUncaughtExceptionHandler(e -> {
            if (failure.compareAndSet(null, e)) {
                log.error("Transitions stream thread failed; shutting the application down", e);
            } else {
                log.error("Another transitions stream thread failed", e);
            }
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((next, previous) -> {
            log.info("Transitions state {} -> {}", previous, next);
            if (next == State.RUNNING) {
                ready.countDown();
            }
            if (next == State.ERROR || next == State.NOT_RUNNING || next == State.PENDING_ERROR) {
                stopped.countDown();
            }
        });
    }

    /** Starts the stream threads (once); returns at once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("The transitions application was already started");
        }
        streams.start();
    }

    /** Waits until the application is RUNNING for the first time; false on timeout or when it stopped first. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ready.await(50, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (stopped.getCount() == 0) {
                return false;
            }
        }
        return ready.getCount() == 0;
    }

    /** Blocks until the application stops: {@link #close} was called or a stream thread failed. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /**
     * Start, await shutdown, close within {@code closeTimeout}, rethrow the captured error.
     *
     * @throws TransitionsFailedException if a stream thread died
     */
    public void run(Duration closeTimeout) throws InterruptedException {
        start();
        try {
            awaitShutdown();
        } finally {
            close(closeTimeout);
        }
        failure().ifPresent(e -> {
            throw new TransitionsFailedException("The transitions application failed: " + e.getMessage(), e);
        });
    }

    public State state() {
        return streams.state();
    }

    /** The error that stopped the application, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** The Kafka Streams instance, for metrics binding (e.g. Micrometer's KafkaStreamsMetrics) and queries. */
    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Closes Kafka Streams, committing what was processed, waiting at most {@code timeout}; true when it closed
     * completely within it. A dynamic member leaves the consumer group, so that a restart (or the other instances)
     * take its partitions over at once instead of after the session timeout (45 s by default); a static member stays,
     * so that the same instance restarted in place gets its partitions back without a rebalance
     * ({@link StaticMembership}).
     */
    public boolean close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        boolean closed = streams.close(CloseOptions.timeout(timeout).withGroupMembershipOperation(onClose));
        stopped.countDown();
        if (!closed) {
            log.warn("Transitions application did not close within {}", timeout);
        }
        return closed;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
