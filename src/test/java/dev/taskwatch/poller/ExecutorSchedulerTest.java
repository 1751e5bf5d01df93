package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExecutorSchedulerTest {

    @Test
    void shouldRunOtherLanesWhileOneLaneIsBlocked() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuckStarted = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        try (ExecutorScheduler scheduler = new ExecutorScheduler()) {
            scheduler.schedule("stuck", Duration.ZERO, () -> {
                threads.add(Thread.currentThread().getName());
                stuckStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            scheduler.schedule("healthy", Duration.ZERO, () -> {
                threads.add(Thread.currentThread().getName());
                otherRan.countDown();
            });
            // Both conditions: the stuck lane is really blocking, and the healthy one still ran meanwhile.
            assertThat(stuckStarted.await(10, TimeUnit.SECONDS)).as("stuck lane started").isTrue();
            assertThat(otherRan.await(10, TimeUnit.SECONDS)).as("healthy lane ran while stuck lane blocks").isTrue();
            release.countDown();
        }
        assertThat(threads).contains("taskwatch-poller-stuck", "taskwatch-poller-healthy");
    }

    @Test
    void shouldIgnoreSchedulingAfterClose() throws Exception {
        ExecutorScheduler scheduler = new ExecutorScheduler();
        CountDownLatch ran = new CountDownLatch(1);
        scheduler.schedule("a", Duration.ZERO, ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        scheduler.close();
        List<String> after = new CopyOnWriteArrayList<>();
        scheduler.schedule("a", Duration.ZERO, () -> after.add("ran"));
        scheduler.schedule("b", Duration.ZERO, () -> after.add("ran"));
        assertThat(after).isEmpty();
    }
}
