package dev.taskwatch.transitions;

import dev.taskwatch.Causes;
import dev.taskwatch.serde.RegistryFault;
import dev.taskwatch.serde.SchemaRegistryClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
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
 * <p>Except a schema registry fault ({@link RegistryFault}: unreachable, or refusing with 401, 403 or an incompatible
 * schema), which is not the application's and passes: the thread waits it out ({@link RegistryFaultWait}: until the
 * registry answers a ping, at most a minute) and is then replaced ({@code REPLACE_THREAD}). Its transaction was
 * aborted, so the records it had in hand are processed again by the new thread, from the committed offsets: nothing
 * is lost or emitted twice. While that lasts {@link #trouble()} names the cause (readiness reports it), and the
 * warning is logged at most once a minute. See docs/design.md, Decisions.
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
    private final RegistryFaultWait registryWait;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicReference<String> trouble = new AtomicReference<>();
    private final AtomicReference<Instant> lastWarning = new AtomicReference<>();
    private final Properties streamsProps;
    private volatile boolean waiting;

    /** How often at most a lasting registry fault is logged at WARN. */
    static final Duration WARN_EVERY = Duration.ofMinutes(1);

    public TransitionsApp(Properties streamsProps, Topology topology) {
        this(streamsProps, topology, (SchemaRegistryClient) null);
    }

    /**
     * @param registry the registry client the topology's serdes use, pinged to learn when an outage is over; null
     *                 waits a minute instead
     */
    public TransitionsApp(Properties streamsProps, Topology topology, SchemaRegistryClient registry) {
        this(new KafkaStreams(topology, streamsProps), streamsProps,
                new RegistryFaultWait(registry, Clock.systemUTC(), RegistryFaultWait.Sleeper.REAL));
    }

    /** With Kafka clients from {@code clientSupplier} (tests inject failing clients through it). */
    public TransitionsApp(Properties streamsProps, Topology topology, KafkaClientSupplier clientSupplier) {
        this(new KafkaStreams(topology, streamsProps, clientSupplier), streamsProps,
                new RegistryFaultWait(null, Clock.systemUTC(), RegistryFaultWait.Sleeper.REAL));
    }

    /** With the registry fault wait given (tests run it on a manual clock). */
    TransitionsApp(Properties streamsProps, Topology topology, RegistryFaultWait registryWait) {
        this(new KafkaStreams(topology, streamsProps), streamsProps, registryWait);
    }

    private TransitionsApp(KafkaStreams streams, Properties streamsProps, RegistryFaultWait registryWait) {
        this.streams = streams;
        this.streamsProps = streamsProps;
        this.onClose = StaticMembership.onCleanClose(StaticMembership.isStatic(streamsProps));
        this.registryWait = registryWait;
        streams.setUncaughtExceptionHandler(this::onThreadFailure);
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

    /**
     * What Kafka Streams does with an exception that ended a stream thread: wait out a registry fault and replace the
     * thread, shut the client down for anything else.
     */
    StreamThreadExceptionResponse onThreadFailure(Throwable e) {
        RegistryFault fault = RegistryFault.of(e);
        if (!fault.isRegistrys() || closing.get()) {
            if (failure.compareAndSet(null, e)) {
                log.error("Transitions stream thread failed; shutting the application down", e);
            } else {
                log.error("Another transitions stream thread failed", e);
            }
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        String cause = registryWait.registryProblem().orElseGet(() -> (fault == RegistryFault.UNAVAILABLE
                ? "schema registry unreachable: " : "schema registry refuses: ") + rootMessage(e));
        trouble.set("transitions stream thread waiting for the schema registry: " + cause);
        warnAtMostOncePerMinute("Transitions stream thread stopped by a schema registry fault ({}): {}. It waits for "
                + "the registry and is then replaced; its open transaction was aborted, so nothing is lost or "
                + "duplicated", fault, cause);
        waiting = true;
        try {
            boolean answers = registryWait.await(fault, closing::get);
            if (answers) {
                trouble.set(null);
                log.info("Schema registry answers again after {} fault(s) in a row; replacing the transitions stream "
                        + "thread", registryWait.consecutive());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            waiting = false;
        }
        if (closing.get()) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        removeFromGroupOnceEnded(Thread.currentThread());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /**
     * A static member does not leave its group when its thread ends, and the replacement thread joins under another
     * instance id ({@code <group-instance-id>-<thread index>}): without help the group would wait for the dead member's
     * session ({@code transitions.session-timeout}, 2 minutes) before its partitions move. So, as {@link
     * KafkaStreams#removeStreamThread()} does, the dead member is removed from the group once its thread has ended.
     */
    private void removeFromGroupOnceEnded(Thread dying) {
        Object instanceId = streamsProps.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        String name = dying.getName();
        int dash = name.lastIndexOf('-');
        if (instanceId == null || dash < 0) {
            return;
        }
        String member = instanceId + "-" + name.substring(dash + 1);
        String group = streamsProps.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Thread removal = new Thread(() -> {
            try {
                dying.join(Duration.ofSeconds(60).toMillis());
                try (Admin admin = Admin.create(new StreamsConfig(streamsProps).getAdminConfigs(group
                        + "-member-removal"))) {
                    admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(
                            List.of(new MemberToRemove(member)))).all().get(30, TimeUnit.SECONDS);
                }
                log.info("Removed the replaced stream thread's static member {} from group {}", member, group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("Could not remove the replaced stream thread's static member {} from group {} ({}); its "
                        + "partitions move after transitions.session-timeout", member, group, e.toString());
            }
        }, "transitions-member-removal");
        removal.setDaemon(true);
        removal.start();
    }

    private void warnAtMostOncePerMinute(String format, Object... args) {
        Instant now = Instant.now();
        Instant last = lastWarning.get();
        if ((last == null || !now.isBefore(last.plus(WARN_EVERY))) && lastWarning.compareAndSet(last, now)) {
            log.warn(format, args);
        } else {
            log.debug(format, args);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = Causes.root(e);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /**
     * Why the application is not processing although Kafka Streams may say RUNNING: a stream thread waiting out a
     * schema registry fault. Empty otherwise.
     */
    public Optional<String> trouble() {
        String t = trouble.get();
        // Over when the replacement thread runs and the registry's last answer was normal (a refused registration
        // leaves its problem on the client until a call succeeds).
        if (t != null && !waiting && streams.state() == State.RUNNING && registryWait.registryProblem().isEmpty()) {
            trouble.compareAndSet(t, null);
            return Optional.empty();
        }
        return Optional.ofNullable(t);
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
        closing.set(true); // a thread waiting for the registry gives up at once
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
