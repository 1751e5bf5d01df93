package dev.taskwatch.poller;

import static dev.taskwatch.poller.PollerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.taskcenter.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PollerTest {

    private final PollerFixture f;
    private ManualDriver scheduler;
    private final TestDialect dialect = TestDialect.listingOnly();

    PollerTest() throws Exception {
        f = new PollerFixture();
    }

    @AfterEach
    void close() {
        f.close();
    }

    private Poller poller(List<Target> targets, Map<String, RateLimit> limits) {
        List<PolledTarget> polled = targets.stream()
                .map(t -> new PolledTarget(t, dialect, new TestAuthenticator(), 2)).toList();
        targets.forEach(t -> f.center.tenant(t.name()));
        Poller poller = Poller.builder(f.settings, polled).rateLimits(limits).snapshots(f.sink)
                .watch(new WatchSet(targets, f.registry), f.releaser).http(f.unirest).metrics(f.registry)
                .clock(f.clock).random(() -> f.random).manual().build();
        scheduler = new ManualDriver(f.clock, poller);
        return poller;
    }

    private static List<Instant> times(FakeTaskCenter.Tenant... tenants) {
        List<Instant> out = new ArrayList<>();
        for (FakeTaskCenter.Tenant t : tenants) {
            t.requests.forEach(r -> out.add(r.at()));
        }
        out.sort(null);
        return out;
    }

    @Test
    void shouldKeepPublishingForOneTargetWhileAnotherIsDown() {
        Target up = f.target("up", dialect, Duration.ofDays(1), "c1");
        Target down = f.target("down", dialect, Duration.ofDays(1), "c2");
        Poller poller = poller(List.of(up, down), Map.of());
        f.center.tenant("up").add("u1", "Running", T0.minusSeconds(60));
        f.center.tenant("down").add("d1", "Running", T0.minusSeconds(60));
        f.center.tenant("down").downStatus = 503;

        poller.start();
        scheduler.runFor(Duration.ofMinutes(2));

        assertThat(f.sink.ids()).isNotEmpty().allMatch(id -> id.startsWith("u1"));
        // running task, active interval 5 s: about 24 cycles in two minutes
        assertThat(f.center.tenant("up").requests).hasSizeGreaterThan(20);
        assertThat(f.center.tenant("down").requests).hasSizeGreaterThan(3);
        assertThat(f.requests("down", "503")).isPositive();
        TargetHealth upHealth = poller.health().get(0);
        TargetHealth downHealth = poller.health().get(1);
        assertThat(upHealth.cycleCompleted()).isTrue();
        assertThat(upHealth.lastError()).isNull();
        assertThat(downHealth.cycleCompleted()).isFalse();
        assertThat(downHealth.lastError()).contains("503", "target down");
        assertThat(downHealth.settled()).isTrue();
        assertThat(poller.failure()).isEmpty();

        f.center.tenant("down").downStatus = 0;
        scheduler.runFor(Duration.ofMinutes(6)); // backoff is capped at 5 min
        assertThat(f.sink.ids()).contains("d1:RUNNING");
        assertThat(poller.health().get(1).cycleCompleted()).isTrue();
        assertThat(poller.health().get(1).lastError()).isNull();
        poller.close();
    }

    @Test
    void whileTheSinkCannotPublishATargetBacksOffInsteadOfSpendingItsBudgetOnAnswersItCannotPublish() {
        Target a = f.target("a", dialect, Duration.ofDays(1), "c");
        f.center.tenant("a").add("x", "Running", T0.minusSeconds(60)); // active: every 5 s when all is well
        f.sink.unavailableTimes = Integer.MAX_VALUE; // Kafka or the registry down
        Poller poller = poller(List.of(a), Map.of());

        poller.start();
        scheduler.runFor(Duration.ofMinutes(10));

        int whileDown = f.center.tenant("a").requests.size();
        // the active interval would have spent about 120 requests; exponential backoff to poller.backoff-max (5 min,
        // with jitter) spends a dozen, each answer dropped unpublished and read again by the next cycle
        assertThat(whileDown).isBetween(2, 15);
        assertThat(f.sink.ids()).isEmpty();
        assertThat(poller.health().get(0).lastError()).contains("Could not publish snapshots of target a");
        assertThat(poller.failure()).as("not fatal").isEmpty();

        f.sink.unavailableTimes = 0;
        scheduler.runFor(f.settings.backoffMax().plusSeconds(10));
        assertThat(f.sink.ids()).as("published once the sink is back").contains("x:RUNNING");
        assertThat(poller.health().get(0).lastError()).isNull();
        poller.close();
    }

    @Test
    void shouldShareTheRateLimitOfACredentialBetweenItsTargets() {
        Target a = f.target("a", dialect, Duration.ofDays(1), "shared");
        Target b = f.target("b", dialect, Duration.ofDays(1), "shared");
        Target c = f.target("c", dialect, Duration.ofDays(1), "fast");
        for (String name : List.of("a", "b", "c")) {
            for (int i = 0; i < 5; i++) {
                f.center.tenant(name).add(name + i, "Completed", T0.minusSeconds(100 - i));
            }
        }
        Poller poller = poller(List.of(a, b, c), Map.of("shared", new RateLimit(1.0), "fast", new RateLimit(100)));

        poller.start();
        scheduler.runFor(Duration.ofMinutes(2));
        poller.close();

        List<Instant> shared = times(f.center.tenant("a"), f.center.tenant("b"));
        assertThat(shared).hasSizeGreaterThan(12);
        for (int i = 1; i < shared.size(); i++) {
            assertThat(Duration.between(shared.get(i - 1), shared.get(i)))
                    .as("requests of one credential at most 1/s").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        // the other credential's three pages of one cycle go out 10 ms apart
        List<Instant> fast = times(f.center.tenant("c"));
        assertThat(Duration.between(fast.get(0), fast.get(2))).isLessThanOrEqualTo(Duration.ofMillis(20));
    }

    @Test
    void shouldStopWithAClearErrorOnAFatalSinkError() {
        Target a = f.target("a", dialect, Duration.ofDays(1), "c");
        f.center.tenant("a").add("x", "Running", T0);
        f.sink.fatal = new FatalSinkException("producer fenced", null);
        Poller poller = poller(List.of(a), Map.of());

        poller.start();
        scheduler.runFor(Duration.ofMinutes(1));

        assertThat(poller.failure()).hasValueSatisfying(e -> assertThat(e.getMessage())
                .contains("target a", "producer fenced"));
        assertThat(poller.stopped()).isCompletedExceptionally();
        assertThat(f.center.tenant("a").requests).as("no cycle after the fatal error").hasSize(1);
        poller.close();
        assertThat(f.sink.closed).isTrue();
    }

    @Test
    void shouldStopSchedulingAndCloseTheSinkOnClose() {
        Target a = f.target("a", dialect, Duration.ofDays(1), "c");
        Poller poller = poller(List.of(a), Map.of());
        poller.start();
        scheduler.runFor(Duration.ofSeconds(40));
        int requests = f.center.tenant("a").requests.size();
        // at 3 s (phase: 0.5 of 20 % of 30 s) the history and what runs before it, at 33 s the new tasks
        assertThat(requests).isEqualTo(3);

        poller.close();
        scheduler.runFor(Duration.ofMinutes(5));

        assertThat(f.center.tenant("a").requests).hasSize(requests);
        assertThat(f.sink.closed).isTrue();
        assertThat(poller.stopped()).isCompleted().isNotCompletedExceptionally();
        assertThat(poller.failure()).isEmpty();
    }
}
