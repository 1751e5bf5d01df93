package dev.taskwatch.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ConsumerLoopTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    private final MockConsumer<String, String> consumer =
            new MockConsumer<>("earliest");
    private final List<String> handled = new CopyOnWriteArrayList<>();

    private ConsumerLoop.Builder<String, String> loop() {
        return ConsumerLoop.builder("test-loop", consumer)
                .position(c -> {
                    c.assign(List.of(TP));
                    c.seekToBeginning(List.of(TP));
                })
                .pollTimeout(Duration.ofMillis(10))
                .handler((records, c) -> {
                    records.forEach(r -> handled.add(r.value()));
                    return true;
                });
    }

    private void existing(String... values) {
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.updateEndOffsets(Map.of(TP, (long) values.length));
        for (int i = 0; i < values.length; i++) {
            int offset = i;
            String value = values[i];
            consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>("t", 0, offset, "k", value)));
        }
    }

    @Test
    void shouldStopByItselfOnceTheRecordsPresentAtTheStartAreHandled() {
        existing("a", "b", "c");

        loop().stopWhenCaughtUp(true).build().run();

        assertThat(handled).containsExactly("a", "b", "c");
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldReportCaughtUpOnceAndKeepFollowingTheTopic() throws Exception {
        existing("a");
        AtomicInteger caughtUpCalls = new AtomicInteger();
        ConsumerLoop<String, String> loop = loop().onCaughtUp(caughtUpCalls::incrementAndGet).build().start();

        assertThat(loop.awaitPositioned(Duration.ofSeconds(5))).isTrue();
        assertThat(loop.awaitCaughtUp(Duration.ofSeconds(5))).isTrue();
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>("t", 0, 1, "k", "later")));
        await("the record written after the catch-up").atMost(Duration.ofSeconds(5))
                .until(() -> handled.contains("later"));
        loop.close();

        assertThat(handled).containsExactly("a", "later");
        assertThat(caughtUpCalls).hasValue(1);
        assertThat(loop.awaitFinished(Duration.ofSeconds(5))).isTrue();
        assertThat(loop.failure()).isEmpty();
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldBeCaughtUpAtOnceOnAnEmptyTopic() throws Exception {
        existing();
        try (ConsumerLoop<String, String> loop = loop().build().start()) {
            assertThat(loop.awaitCaughtUp(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(handled).isEmpty();
    }

    @Test
    void shouldStopWhenTheHandlerSaysSo() {
        existing("a", "stop", "c");
        consumer.updateEndOffsets(Map.of(TP, 100L));

        loop().handler((records, c) -> {
            for (var r : records) {
                handled.add(r.value());
                if (r.value().equals("stop")) {
                    return false;
                }
            }
            return true;
        }).build().run();

        assertThat(handled).containsExactly("a", "stop");
    }

    @Test
    void shouldKeepTheFailureOfAStartedLoopForItsOwnerAndReportItOnce() throws Exception {
        existing("boom");
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        ConsumerLoop<String, String> loop = loop()
                .handler((records, c) -> {
                    if (!records.isEmpty()) {
                        throw new IllegalStateException("cannot handle " + records.iterator().next().value());
                    }
                    return true;
                })
                .reportFailure(reported::add)
                .build().start();

        assertThat(loop.awaitFinished(Duration.ofSeconds(5))).isTrue();

        assertThat(loop.failure()).get().extracting(Throwable::getMessage).isEqualTo("cannot handle boom");
        assertThat(reported).hasSize(1).first().isSameAs(loop.failure().get());
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldThrowTheTranslatedFailureWhenRunInTheCallingThread() {
        consumer.setPollException(new TimeoutException("no broker"));
        existing();
        consumer.updateEndOffsets(Map.of(TP, 1L));

        assertThatThrownBy(() -> loop()
                .translateFailure(e -> e instanceof TimeoutException ? new IllegalStateException("unreachable", e) : e)
                .build().run())
                .isInstanceOf(IllegalStateException.class).hasMessage("unreachable")
                .hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void shouldSkipAnUnreadableRecordWhenToldToAndReadOn() {
        existing("a");
        consumer.updateEndOffsets(Map.of(TP, 3L));
        AtomicBoolean thrown = new AtomicBoolean();
        List<Long> skipped = new ArrayList<>();
        consumer.schedulePollTask(() -> {
            thrown.set(true);
            consumer.setPollException(new RecordDeserializationException(
                    RecordDeserializationException.DeserializationExceptionOrigin.VALUE, TP, 1, 0L,
                    TimestampType.CREATE_TIME, null, ByteBuffer.allocate(0), new RecordHeaders(), "bad bytes", null));
        });
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>("t", 0, 2, "k", "c")));

        loop().stopWhenCaughtUp(true).skipUnreadableRecords(e -> skipped.add(e.offset())).build().run();

        assertThat(thrown).isTrue();
        assertThat(skipped).containsExactly(1L);
        assertThat(handled).containsExactly("a", "c");
    }

    @Test
    void shouldFailOnAnUnreadableRecordByDefault() {
        existing();
        consumer.updateEndOffsets(Map.of(TP, 1L));
        consumer.setPollException(new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, TP, 0, 0L,
                TimestampType.CREATE_TIME, null, ByteBuffer.allocate(0), new RecordHeaders(), "bad bytes", null));

        assertThatThrownBy(() -> loop().build().run()).isInstanceOf(RecordDeserializationException.class);
    }

    @Test
    void shouldEndQuietlyAndLetTheOwnerCommitWhenClosedDuringAConsumerCall() throws Exception {
        existing();
        consumer.updateEndOffsets(Map.of(TP, 1L)); // never caught up: the loop keeps polling
        AtomicBoolean committedOnStop = new AtomicBoolean();
        AtomicBoolean finishedRan = new AtomicBoolean();
        ConsumerLoop<String, String> loop = loop()
                .onClosedWhileRunning(c -> committedOnStop.set(!c.assignment().isEmpty()))
                .onFinish(() -> finishedRan.set(true))
                .build().start();
        assertThat(loop.awaitPositioned(Duration.ofSeconds(5))).isTrue();

        loop.close();

        assertThat(loop.awaitFinished(Duration.ofSeconds(5))).isTrue();
        assertThat(loop.failure()).isEmpty();
        assertThat(finishedRan).isTrue();
        assertThat(consumer.closed()).isTrue();
        // the wake-up lands in whichever consumer call comes next; when it is a poll the owner may commit
        assertThat(committedOnStop.get() || handled.isEmpty()).isTrue();
    }

    @Test
    void shouldInterruptAHandlerThatWaitsWhenBuiltToAndEndWithoutFailure() throws Exception {
        existing("slow");
        CountDownLatch waiting = new CountDownLatch(1);
        ConsumerLoop<String, String> loop = loop()
                .handler((records, c) -> {
                    if (!records.isEmpty()) {
                        waiting.countDown();
                        Thread.sleep(60_000);
                    }
                    return true;
                })
                .interruptOnClose(true)
                .build().start();
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        loop.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(loop.awaitFinished(Duration.ofSeconds(1))).isTrue();
        assertThat(loop.failure()).isEmpty();
    }

    @Test
    void shouldCloseTheGivenConsumerWhenClosedBeforeItRanAndThenNotRun() {
        AtomicBoolean finishedRan = new AtomicBoolean();
        ConsumerLoop<String, String> loop = loop().onFinish(() -> finishedRan.set(true)).build();

        loop.close();
        loop.run();

        assertThat(consumer.closed()).isTrue();
        assertThat(finishedRan).isTrue();
        assertThat(handled).isEmpty();
    }

    @Test
    void shouldRunOnlyOnce() {
        existing();
        ConsumerLoop<String, String> loop = loop().stopWhenCaughtUp(true).build();
        loop.run();

        assertThatThrownBy(loop::run).isInstanceOf(IllegalStateException.class).hasMessage("test-loop runs once");
    }

    @Test
    void shouldCreateALazyConsumerInTheLoopThread() throws Exception {
        existing();
        List<String> threads = new CopyOnWriteArrayList<>();
        ConsumerLoop<String, String> loop = ConsumerLoop.<String, String>builder("lazy-loop", () -> {
                    threads.add(Thread.currentThread().getName());
                    return consumer;
                })
                .position(c -> c.assign(List.of(TP)))
                .handler((records, c) -> true)
                .stopWhenCaughtUp(true)
                .build().start();

        assertThat(loop.awaitFinished(Duration.ofSeconds(5))).isTrue();
        assertThat(threads).containsExactly("lazy-loop");
        assertThat(loop.failure()).isEqualTo(Optional.empty());
    }
}
