package dev.taskwatch.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer loop of taskwatch's readers (event printer, notify, the poller's watch requests, {@code wait}):
 * position the consumer, poll, hand each batch to the reader's handler, until {@link #close()}, the handler says
 * stop, or (optionally) the end offsets seen at start are reached. It owns what every reader otherwise writes again:
 * the thread, the stop flag, the wake-up and join on close, the failure captured for the owner to rethrow or report,
 * and the catch-up point.
 *
 * <p>Run it in the calling thread ({@link #run()}: failures are thrown) or in a daemon thread ({@link #start()}:
 * the failure is kept for {@link #failure()} and reported once). The consumer is created in the loop's thread and
 * closed when the loop ends; the loop runs once.
 *
 * <p><b>Caught up</b> means: every partition assigned after {@link Builder#position positioning} has reached the end
 * offset it had then. With a group subscription the assignment is not known at that point, so such a loop never
 * reports caught up.
 */
public final class ConsumerLoop<K, V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    /** Assigns or subscribes and seeks; runs in the loop's thread before the first poll. */
    @FunctionalInterface
    public interface Positioner<K, V> {
        void position(Consumer<K, V> consumer);
    }

    /** Handles one poll's records (possibly none); returns false to stop the loop at once. */
    @FunctionalInterface
    public interface Handler<K, V> {
        boolean handle(ConsumerRecords<K, V> records, Consumer<K, V> consumer) throws InterruptedException;
    }

    private enum State { NEW, RUNNING, DONE }

    private final String name;
    private final Supplier<? extends Consumer<K, V>> consumers;
    private final Consumer<K, V> givenConsumer;
    private final Positioner<K, V> positioner;
    private final Handler<K, V> handler;
    private final Supplier<Duration> pollTimeout;
    private final boolean stopWhenCaughtUp;
    private final java.util.function.Consumer<RecordDeserializationException> skipUnreadable;
    private final Runnable onCaughtUp;
    private final java.util.function.Consumer<Consumer<K, V>> onClosedWhileRunning;
    private final Runnable onFinish;
    private final Function<RuntimeException, RuntimeException> translateFailure;
    private final java.util.function.Consumer<Throwable> reportFailure;
    private final boolean interruptOnClose;
    private final Duration closeTimeout;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Consumer<K, V> consumer;
    private volatile Thread runner;
    private volatile Throwable failure;

    private ConsumerLoop(Builder<K, V> b) {
        this.name = b.name;
        this.consumers = b.consumers;
        this.givenConsumer = b.givenConsumer;
        this.positioner = Objects.requireNonNull(b.positioner, "position");
        this.handler = Objects.requireNonNull(b.handler, "handler");
        this.pollTimeout = b.pollTimeout;
        this.stopWhenCaughtUp = b.stopWhenCaughtUp;
        this.skipUnreadable = b.skipUnreadable;
        this.onCaughtUp = b.onCaughtUp;
        this.onClosedWhileRunning = b.onClosedWhileRunning;
        this.onFinish = b.onFinish;
        this.translateFailure = b.translateFailure;
        this.reportFailure = b.reportFailure != null ? b.reportFailure
                : e -> log.error("{} stopped: {}", name, e.getMessage(), e);
        this.interruptOnClose = b.interruptOnClose;
        this.closeTimeout = b.closeTimeout;
    }

    /** A loop named {@code name} (thread and log name) over a consumer {@code consumers} creates in its thread. */
    public static <K, V> Builder<K, V> builder(String name, Supplier<? extends Consumer<K, V>> consumers) {
        return new Builder<>(name, Objects.requireNonNull(consumers), null);
    }

    /** A loop over the caller's consumer (e.g. metrics bound before the start); the loop closes it in any case. */
    public static <K, V> Builder<K, V> builder(String name, Consumer<K, V> consumer) {
        return new Builder<>(name, null, Objects.requireNonNull(consumer));
    }

    /** Runs the loop in the calling thread until it stops; a failure is thrown (after {@code translateFailure}). */
    public void run() {
        try {
            runLoop();
        } finally {
            finished.countDown();
        }
    }

    private void runLoop() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            if (state.get() == State.DONE && stopping) {
                return; // closed before it ran
            }
            throw new IllegalStateException(name + " runs once");
        }
        runner = Thread.currentThread();
        Consumer<K, V> c = null;
        try {
            c = givenConsumer != null ? givenConsumer : consumers.get();
            consumer = c;
            if (stopping) {
                return;
            }
            loop(c);
        } catch (WakeupException | InterruptException e) {
            if (!stopping) {
                throw translateFailure.apply(e);
            }
            if (e instanceof WakeupException) {
                onClosedWhileRunning.accept(c);
            }
        } catch (InterruptedException e) {
            if (!stopping) {
                throw new IllegalStateException(name + " interrupted", e);
            }
        } catch (RuntimeException e) {
            throw translateFailure.apply(e);
        } finally {
            try {
                closeConsumer(c);
            } finally {
                consumer = null;
                state.set(State.DONE);
                onFinish.run();
            }
        }
    }

    private void closeConsumer(Consumer<K, V> c) {
        if (c == null) {
            return;
        }
        if (stopping) {
            Thread.interrupted(); // the interrupt of close() did its job; the consumer must still close cleanly
        }
        try {
            c.close();
        } catch (InterruptException e) {
            Thread.interrupted();
            log.debug("{}: consumer close interrupted", name);
        }
    }

    private void loop(Consumer<K, V> c) throws InterruptedException {
        positioner.position(c);
        Set<TopicPartition> assigned = c.assignment();
        // Resolve the positions now: a lazily resolved "end" would skip records written before the first poll.
        assigned.forEach(c::position);
        Map<TopicPartition, Long> end = assigned.isEmpty() ? Map.of() : c.endOffsets(assigned);
        positioned.countDown();
        while (!stopping) {
            if (!assigned.isEmpty() && caughtUp.getCount() > 0 && reached(c, end)) {
                caughtUp.countDown();
                onCaughtUp.run();
            }
            if (stopWhenCaughtUp && caughtUp.getCount() == 0) {
                return;
            }
            ConsumerRecords<K, V> records;
            try {
                records = c.poll(nonNegative(pollTimeout.get()));
            } catch (RecordDeserializationException e) {
                if (skipUnreadable == null) {
                    throw e;
                }
                skipUnreadable.accept(e);
                c.seek(e.topicPartition(), e.offset() + 1);
                continue;
            }
            if (!handler.handle(records, c)) {
                return;
            }
        }
    }

    private static boolean reached(Consumer<?, ?> c, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Runs the loop in a daemon thread named after the loop; see {@link #failure()}. */
    public ConsumerLoop<K, V> start() {
        Thread thread = new Thread(() -> {
            try {
                runLoop();
            } catch (RuntimeException | Error e) {
                failure = e; // before the loop counts as finished, so that a waiting owner sees it
                reportFailure.accept(e);
            } finally {
                finished.countDown();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * Stops the loop from any thread: wakes the consumer (and interrupts the loop's thread, if so built) and, when the
     * loop runs in another thread, waits for it to end up to the close timeout. A loop that has not run yet will not.
     */
    @Override
    public void close() {
        stopping = true;
        if (state.compareAndSet(State.NEW, State.DONE)) {
            if (givenConsumer != null) {
                givenConsumer.close();
            }
            onFinish.run();
            finished.countDown();
            return;
        }
        Consumer<K, V> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = runner;
        if (t != null && t != Thread.currentThread()) {
            if (interruptOnClose) {
                t.interrupt();
            }
            try {
                if (!finished.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("{} did not stop within {} s", name, closeTimeout.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether {@link #close()} was called: a handler waiting (e.g. backing off) should give up. */
    public boolean stopping() {
        return stopping;
    }

    /** Waits until the consumer is assigned and positioned: records written after this returns true are read. */
    public boolean awaitPositioned(Duration timeout) throws InterruptedException {
        return positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the records present at the start (the end offsets after positioning) have been handled. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the loop has ended (by itself, by a failure or by {@link #close()}). */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why the loop started with {@link #start()} stopped, if it failed. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Options of a {@link ConsumerLoop}; {@link #position} and {@link #handler} are required. */
    public static final class Builder<K, V> {

        private final String name;
        private final Supplier<? extends Consumer<K, V>> consumers;
        private final Consumer<K, V> givenConsumer;
        private Positioner<K, V> positioner;
        private Handler<K, V> handler;
        private Supplier<Duration> pollTimeout = () -> Duration.ofMillis(500);
        private boolean stopWhenCaughtUp;
        private java.util.function.Consumer<RecordDeserializationException> skipUnreadable;
        private Runnable onCaughtUp = () -> {};
        private java.util.function.Consumer<Consumer<K, V>> onClosedWhileRunning = c -> {};
        private Runnable onFinish = () -> {};
        private Function<RuntimeException, RuntimeException> translateFailure = e -> e;
        private java.util.function.Consumer<Throwable> reportFailure;
        private boolean interruptOnClose;
        private Duration closeTimeout = Duration.ofSeconds(10);

        private Builder(String name, Supplier<? extends Consumer<K, V>> consumers, Consumer<K, V> givenConsumer) {
            this.name = Objects.requireNonNull(name);
            this.consumers = consumers;
            this.givenConsumer = givenConsumer;
        }

        /** Assigns or subscribes and seeks, before the first poll. */
        public Builder<K, V> position(Positioner<K, V> positioner) {
            this.positioner = Objects.requireNonNull(positioner);
            return this;
        }

        /** Handles each poll's records. */
        public Builder<K, V> handler(Handler<K, V> handler) {
            this.handler = Objects.requireNonNull(handler);
            return this;
        }

        /** How long one poll waits (default 500 ms). */
        public Builder<K, V> pollTimeout(Duration timeout) {
            Objects.requireNonNull(timeout);
            this.pollTimeout = () -> timeout;
            return this;
        }

        /** How long each poll waits, asked before each poll (e.g. the time left until a deadline). */
        public Builder<K, V> pollTimeout(Supplier<Duration> timeout) {
            this.pollTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Stop by itself once caught up, instead of following the topic. */
        public Builder<K, V> stopWhenCaughtUp(boolean stop) {
            this.stopWhenCaughtUp = stop;
            return this;
        }

        /** Runs once, in the loop's thread, when the loop is caught up. */
        public Builder<K, V> onCaughtUp(Runnable action) {
            this.onCaughtUp = Objects.requireNonNull(action);
            return this;
        }

        /** Reports a record that cannot be deserialized and goes on after it (default: the loop fails). */
        public Builder<K, V> skipUnreadableRecords(java.util.function.Consumer<RecordDeserializationException> report) {
            this.skipUnreadable = Objects.requireNonNull(report);
            return this;
        }

        /** Runs in the loop's thread, consumer still open, when {@link #close()} woke it (e.g. to commit). */
        public Builder<K, V> onClosedWhileRunning(java.util.function.Consumer<Consumer<K, V>> action) {
            this.onClosedWhileRunning = Objects.requireNonNull(action);
            return this;
        }

        /** Runs when the loop ends, however it ends, after the consumer closed (e.g. to flush the handler's output). */
        public Builder<K, V> onFinish(Runnable action) {
            this.onFinish = Objects.requireNonNull(action);
            return this;
        }

        /** Maps a failure before it is thrown or kept (e.g. a metadata timeout to "Kafka unreachable"). */
        public Builder<K, V> translateFailure(Function<RuntimeException, RuntimeException> translate) {
            this.translateFailure = Objects.requireNonNull(translate);
            return this;
        }

        /** How a failure of a {@link #start() started} loop is reported (default: one ERROR line with the trace). */
        public Builder<K, V> reportFailure(java.util.function.Consumer<Throwable> report) {
            this.reportFailure = Objects.requireNonNull(report);
            return this;
        }

        /** Also interrupt the loop's thread on close, to end a handler's sleep or blocking call. */
        public Builder<K, V> interruptOnClose(boolean interrupt) {
            this.interruptOnClose = interrupt;
            return this;
        }

        /** How long {@link #close()} waits for the loop's thread (default 10 s). */
        public Builder<K, V> closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public ConsumerLoop<K, V> build() {
            return new ConsumerLoop<>(this);
        }
    }
}
