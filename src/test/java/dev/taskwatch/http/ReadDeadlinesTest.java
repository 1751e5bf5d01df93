package dev.taskwatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadDeadlinesTest {

    /** A stream that records when it was closed. */
    private static final class ClosableStream extends ByteArrayInputStream {
        final CountDownLatch closed = new CountDownLatch(1);

        ClosableStream() {
            super(new byte[0]);
        }

        @Override
        public void close() throws IOException {
            closed.countDown();
        }
    }

    @Test
    void shouldCloseTheStreamOfAReadPastItsDeadlineWithinATick() throws Exception {
        ClosableStream in = new ClosableStream();
        long start = System.nanoTime();
        try (ReadDeadlines.Deadline d = ReadDeadlines.watch(in, start + TimeUnit.MILLISECONDS.toNanos(100))) {
            assertThat(in.closed.await(5, TimeUnit.SECONDS)).isTrue();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMs).isGreaterThanOrEqualTo(100);
            assertThat(d.expired()).isTrue();
        }
    }

    @Test
    void shouldLeaveTheStreamOpenOnceItsReadIsOver() throws Exception {
        ClosableStream in = new ClosableStream();
        ReadDeadlines.Deadline d = ReadDeadlines.watch(in, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
        d.close();
        assertThat(in.closed.await(100 + 3 * ReadDeadlines.TICK.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
        assertThat(d.expired()).isFalse();
    }
}
