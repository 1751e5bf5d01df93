package dev.taskwatch.poller;

import static dev.taskwatch.poller.PollerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.taskcenter.TaskReject;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the poller does while Kafka is down (issue 22, item 2), on a virtual clock: a publish meeting the outage waits
 * the producer's delivery timeout and fails; the lanes then pause (no task-center request) and a cheap check every
 * {@link PublishPause#PROBE_INTERVAL} resumes them within seconds of Kafka's return, however long the outage.
 */
class PublishPauseTest {

    /** The producer's {@code delivery.timeout.ms} default: how long a publish waits before it fails. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(2);

    private final PollerFixture f;
    private final TestDialect dialect = TestDialect.listingOnly();
    private final OutageSink sink;
    private ManualDriver driver;

    PublishPauseTest() throws Exception {
        f = new PollerFixture();
        sink = new OutageSink(f.clock);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private Poller poller(List<Target> targets) {
        List<PolledTarget> polled = targets.stream()
                .map(t -> new PolledTarget(t, dialect, new TestAuthenticator(), 2)).toList();
        targets.forEach(t -> f.center.tenant(t.name()));
        Poller poller = Poller.builder(f.settings, polled).snapshots(sink)
                .watch(new WatchSet(targets, f.registry), f.releaser).http(f.unirest).metrics(f.registry)
                .clock(f.clock).random(() -> f.random).manual().build();
        driver = new ManualDriver(f.clock, poller);
        return poller;
    }

    private int requests(String... targets) {
        int n = 0;
        for (String t : targets) {
            n += f.center.tenant(t).requests.size();
        }
        return n;
    }

    @Test
    void shouldPauseEveryLaneWhileKafkaIsDownAndResumeWithinAProbeIntervalOfItsReturnAfterAnHour() {
        Target a = f.target("a", dialect, Duration.ofDays(1), "c1");
        Target b = f.target("b", dialect, Duration.ofDays(1), "c2");
        f.center.tenant("a").add("x", "Running", T0.minusSeconds(60));
        f.center.tenant("b").add("y", "Running", T0.minusSeconds(60));
        Poller poller = poller(List.of(a, b));
        poller.start();
        driver.runFor(Duration.ofSeconds(30));
        assertThat(sink.ids()).contains("x:RUNNING", "y:RUNNING");

        sink.down = true;
        f.center.tenant("a").task("x").status = "Completed"; // a change the poller must publish
        int before = requests("a", "b");
        driver.runFor(Duration.ofHours(1));
        int whileDown = requests("a", "b") - before;

        // Both targets are active (5 s): 1,440 requests in an hour if nothing paused. The cycle that met the outage
        // waited its delivery timeout; the other lane may finish the cycle it had begun; then nothing until Kafka
        // is back, while the cheap check ran about every 2 s.
        assertThat(whileDown).isLessThanOrEqualTo(4);
        assertThat(sink.probes).isBetween(1_500, 1_800);
        assertThat(sink.ids()).doesNotContain("x:COMPLETED");
        assertThat(poller.failure()).as("not fatal").isEmpty();

        sink.down = false;
        Instant back = f.clock.instant();
        int bAtReturn = requests("b");
        driver.runFor(Duration.ofSeconds(30));

        assertThat(sink.ids()).as("the answer read again and published").contains("x:COMPLETED");
        Instant resumed = sink.publishedAt.get(sink.ids().indexOf("x:COMPLETED"));
        assertThat(Duration.between(back, resumed)).as("resumed within a probe interval plus a request slot")
                .isLessThanOrEqualTo(PublishPause.PROBE_INTERVAL.plusSeconds(1));
        assertThat(requests("b") - bAtReturn).as("the other lane polls again too (every 5 s)").isGreaterThan(3);
        poller.close();
    }

    @Test
    void aSchemaRegistryFaultBacksOffOnlyItsTargetAndPausesNothing() {
        Target a = f.target("a", dialect, Duration.ofDays(1), "c1");
        Target b = f.target("b", dialect, Duration.ofDays(1), "c2");
        f.center.tenant("a").add("x", "Running", T0.minusSeconds(60));
        Poller poller = poller(List.of(a, b));
        sink.registryDown = true;
        poller.start();
        driver.runFor(Duration.ofMinutes(10));

        assertThat(sink.probes).as("Kafka is fine: no check").isZero();
        // b is idle (30 s interval) with nothing to publish: it keeps polling, about 20 times in 10 minutes
        assertThat(requests("b")).isGreaterThanOrEqualTo(15);
        // a backs off exponentially up to 5 min instead of every 5 s
        assertThat(requests("a")).isBetween(2, 15);
        assertThat(poller.failure()).isEmpty();
        poller.close();
    }

    /**
     * A sink in front of a cluster that can be down: a publish then waits the delivery timeout on the clock and fails
     * as Kafka unreachable; the registry can be down instead (fails at once, Kafka reachable).
     */
    private static final class OutageSink implements SnapshotSink {
        private final ManualClock clock;
        private final List<TaskSnapshot> published = new ArrayList<>();
        final List<Instant> publishedAt = new ArrayList<>();
        volatile boolean down;
        volatile boolean registryDown;
        private volatile boolean unreachable;
        int probes;

        OutageSink(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized void publish(List<TaskSnapshot> snapshots) throws SinkUnavailableException {
            if (registryDown) {
                throw new SinkUnavailableException("test: schema registry unavailable", null);
            }
            if (down) {
                clock.advance(DELIVERY_TIMEOUT);
                unreachable = true;
                throw new SinkUnavailableException("test: Kafka unavailable (delivery timeout)", null);
            }
            unreachable = false;
            for (TaskSnapshot s : snapshots) {
                published.add(s);
                publishedAt.add(clock.instant());
            }
        }

        @Override
        public void deadLetter(String target, String source, TaskReject reject) {
            throw new AssertionError("no dead letters expected");
        }

        @Override
        public boolean kafkaUnreachable() {
            return unreachable;
        }

        @Override
        public synchronized boolean reachableAgain() {
            probes++;
            if (!down) {
                unreachable = false;
            }
            return !down;
        }

        synchronized List<String> ids() {
            return published.stream().map(s -> s.getTaskId() + ":" + s.getStatus()).toList();
        }

        @Override
        public void close() {
        }
    }
}
