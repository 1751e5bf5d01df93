package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** The budget rules of the scheduler, on a manual clock with an in-memory task center. */
class SchedulerTest {

    private static final Instant T0 = PollerFixture.T0;
    /** Lists and reads by id, as the real list dialects do. */
    private static final TestDialect DIALECT = new TestDialect(dev.taskwatch.taskcenter.Service.DDS, true, true,
            Duration.ofDays(30));

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryTaskCenter center = new InMemoryTaskCenter(clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemorySnapshotSink sink = new InMemorySnapshotSink();

    private static Target target(String name, String credential, Duration interval, Duration activeInterval) {
        return new Target(name, DIALECT.service(), "eu-de", "p-" + name, URI.create("http://mem/" + name),
                credential, interval, activeInterval, Duration.ofDays(1));
    }

    private Poller poller(List<Target> targets, Map<String, RateLimit> rates, Integer pageSize, double jitter,
            DoubleSupplier random, Map<String, TargetPosition> stored) {
        List<PolledTarget> polled = targets.stream()
                .map(t -> new PolledTarget(t, DIALECT, new TestAuthenticator(), pageSize)).toList();
        PollerSettings settings = new PollerSettings(Duration.ofSeconds(10), 50, Duration.ofSeconds(60),
                Duration.ofMinutes(5), jitter);
        return Poller.builder(settings, polled).rateLimits(rates).snapshots(sink)
                .positions(PositionSink.NONE, stored).client(center).metrics(registry).clock(clock).random(random)
                .manual().build();
    }

    private static List<Duration> gaps(List<Instant> times) {
        List<Duration> out = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            out.add(Duration.between(times.get(i - 1), times.get(i)));
        }
        return out;
    }

    @Test
    void shouldGiveActiveTargetsTheirIntervalAndIdleTargetsEvenStalenessWithinTenPercentOfIdeal() {
        Duration activeInterval = Duration.ofSeconds(30);
        Duration interval = Duration.ofSeconds(60); // 990 idle targets would need 16.5 requests/s: budget-bound
        double jitter = 0.2;
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Target t = target("t" + i, "one", interval, activeInterval);
            targets.add(t);
            center.add(t.name(), "done-" + i, "Completed", T0.minus(Duration.ofHours(3)));
            if (i % 100 == 0) {
                center.add(t.name(), "run-" + i, "Running", T0.minus(Duration.ofHours(2)));
            }
        }
        Random random = new Random(42);
        Poller poller = poller(targets, Map.of("one", new RateLimit(1.0)), null, jitter, random::nextDouble,
                Map.of());
        poller.start();
        ManualDriver driver = new ManualDriver(clock, poller);
        Instant measureFrom = T0.plus(Duration.ofHours(1)); // after every first listing
        driver.runUntil(T0.plus(Duration.ofHours(7)));

        List<Instant> all = center.requests.stream().map(InMemoryTaskCenter.Request::at).toList();
        assertThat(gaps(all)).as("never more than 1 request/s").allSatisfy(g ->
                assertThat(g).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        // an active cycle is two requests: the new tasks, and the one task running since before them by id
        double spare = 1.0 - 2 * 10.0 / activeInterval.toSeconds();
        Duration ideal = Duration.ofMillis(Math.round(990 / spare * 1000)); // 2970 s between two polls of one target
        List<Duration> idleGaps = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            List<Instant> times = center.listings("t" + i).stream().filter(at -> !at.isBefore(measureFrom))
                    .toList();
            if (i % 100 == 0) {
                assertThat(times).as("active t%d", i).hasSizeGreaterThan(700);
                assertThat(gaps(times)).as("active t%d polled every 30 s within its jitter", i).allSatisfy(g ->
                        assertThat(g).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(36)));
            } else {
                assertThat(times).as("idle t%d", i).hasSizeGreaterThanOrEqualTo(6);
                idleGaps.addAll(gaps(times));
            }
        }
        Duration worst = idleGaps.stream().max(Duration::compareTo).orElseThrow();
        double mean = idleGaps.stream().mapToLong(Duration::toMillis).average().orElseThrow();
        System.out.printf("SchedulerTest 1,000 targets at 1 request/s: idle staleness worst %.1f s, mean %.1f s, "
                + "ideal %.1f s (worst/ideal %.3f)%n", worst.toMillis() / 1000.0, mean / 1000, ideal.toMillis() / 1000.0,
                worst.toMillis() / (double) ideal.toMillis());
        assertThat(worst).as("worst idle staleness vs ideal %s", ideal)
                .isLessThanOrEqualTo(Duration.ofMillis(Math.round(ideal.toMillis() * 1.1)));
        assertThat(mean).as("the spare budget is spent, not idled").isLessThanOrEqualTo(ideal.toMillis() * 1.02);
        Timer lateness = registry.get("taskwatch.poller.schedule.lateness").tag("credential", "one").timer();
        assertThat(lateness.count()).isGreaterThan(3500);
        assertThat(registry.get("taskwatch.poller.budget.requests").tag("credential", "one")
                .tag("purpose", "active").counter().count()).isGreaterThan(3500);
        assertThat(registry.get("taskwatch.poller.budget.rate").tag("credential", "one").gauge().value())
                .isEqualTo(1.0);
        poller.close();
    }

    @Test
    void shouldNeverLetTheServerSeeTwoRequestsOfACredentialCloserThanASlotWhateverTheLatency() {
        // Alternating slow and instant exchanges: spacing counted from a request's start would let the slow one
        // arrive 0.9 s late and the next one arrive 0.1 s after it, two requests in one second at 1 request/s.
        center.latencies(Duration.ofMillis(900), Duration.ZERO, Duration.ofMillis(300));
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Target t = target("t" + i, "one", Duration.ofSeconds(2), Duration.ofSeconds(1));
            center.add(t.name(), "run-" + i, "Running", T0.minusSeconds(100));
            targets.add(t);
        }
        Poller poller = poller(targets, Map.of("one", new RateLimit(1.0)), null, 0.0, () -> 0.0, Map.of());
        poller.start();

        new ManualDriver(clock, poller).runUntil(T0.plus(Duration.ofMinutes(5)));

        List<Instant> seen = center.requests.stream().map(InMemoryTaskCenter.Request::at).toList();
        assertThat(seen).hasSizeGreaterThan(200);
        assertThat(seen.get(0)).as("a lane's first request waits one slot (a restarted poller's predecessor may have"
                + " just sent one)").isAfterOrEqualTo(T0.plusSeconds(1));
        assertThat(gaps(seen)).as("arrivals at the server, 1 request/s").allSatisfy(g ->
                assertThat(g).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        poller.close();
    }

    @Test
    void shouldStillPollAnIdleTargetWhenActiveTargetsAloneAskForMoreThanTheBudget() {
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // 3 active targets every second on 1 request/s: always one due
            Target t = target("busy" + i, "one", Duration.ofSeconds(30), Duration.ofSeconds(1));
            center.add(t.name(), "run-" + i, "Running", T0.minusSeconds(100));
            targets.add(t);
        }
        Target quiet = target("quiet", "one", Duration.ofSeconds(30), Duration.ofSeconds(1));
        center.add(quiet.name(), "done", "Completed", T0.minusSeconds(100));
        targets.add(quiet);
        Poller poller = poller(targets, Map.of("one", new RateLimit(1.0)), null, 0.0, () -> 0.0, Map.of());
        poller.start();
        new ManualDriver(clock, poller).runUntil(T0.plus(Duration.ofMinutes(2)));
        poller.close();

        // every fourth request of a saturated lane goes to a due idle target: polled at its 30 s interval
        assertThat(center.times("quiet")).as("the idle target is not starved").hasSizeGreaterThanOrEqualTo(4);
        for (int i = 0; i < 3; i++) {
            assertThat(center.times("busy" + i)).as("busy%d keeps most of the budget", i)
                    .hasSizeGreaterThanOrEqualTo(25);
        }
    }

    @Test
    void shouldNotChangeCredentialBsScheduleWhenCredentialAIsThrottled() {
        Map<String, List<Instant>> calm = run(false);
        Map<String, List<Instant>> throttled = run(true);

        for (int i = 0; i < 20; i++) {
            assertThat(throttled.get("b" + i)).as("b%d", i).isEqualTo(calm.get("b" + i)).isNotEmpty();
        }
    }

    private Map<String, List<Instant>> run(boolean throttleA) {
        ManualClock runClock = new ManualClock(T0);
        InMemoryTaskCenter runCenter = new InMemoryTaskCenter(runClock);
        List<PolledTarget> polled = new ArrayList<>();
        for (String credential : List.of("a", "b")) {
            for (int i = 0; i < 20; i++) {
                Target t = target(credential + i, credential, Duration.ofSeconds(30), Duration.ofSeconds(5));
                runCenter.add(t.name(), "x", i % 5 == 0 ? "Running" : "Completed", T0.minusSeconds(600));
                polled.add(new PolledTarget(t, DIALECT, new TestAuthenticator()));
            }
        }
        if (throttleA) {
            runCenter.then("a0", 429, "{\"error_code\":\"APIG.0308\"}", "30");
        }
        Poller poller = Poller.builder(PollerSettings.defaults(), polled)
                .rateLimits(Map.of("a", new RateLimit(1.0), "b", new RateLimit(1.0))).snapshots(sink)
                .client(runCenter).metrics(new SimpleMeterRegistry()).clock(runClock).random(() -> 0.5).manual()
                .build();
        poller.start();
        new ManualDriver(runClock, poller).runUntil(T0.plus(Duration.ofMinutes(5)));
        poller.close();
        if (throttleA) {
            Instant throttledAt = runCenter.times("a0").get(0);
            List<Instant> aAfter = runCenter.requests.stream().filter(r -> r.target().startsWith("a"))
                    .map(InMemoryTaskCenter.Request::at).filter(at -> at.isAfter(throttledAt)).toList();
            assertThat(aAfter.get(0)).as("the whole credential a pauses for Retry-After 30 s")
                    .isEqualTo(throttledAt.plusSeconds(30));
            assertThat(runCenter.requests.stream().filter(r -> r.target().equals("a0")).skip(1).findFirst()
                    .orElseThrow().at()).as("the throttled request is repeated first")
                    .isEqualTo(throttledAt.plusSeconds(30));
        }
        Map<String, List<Instant>> out = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            out.put("b" + i, runCenter.times("b" + i));
        }
        return out;
    }

    @Test
    void shouldNotDelayAnActiveTargetByMoreThanOneRequestSlotDuringAFiftyPageFirstListing() {
        Target active = target("active", "one", Duration.ofSeconds(60), Duration.ofSeconds(5));
        Target history = target("history", "one", Duration.ofSeconds(60), Duration.ofSeconds(5));
        center.add("active", "run", "Running", T0.minusSeconds(100));
        for (int i = 0; i < 500; i++) {
            center.add("history", String.format("h%03d", i), "Completed", T0.minus(Duration.ofHours(20)).plusSeconds(i));
        }
        // the active target resumes from a stored position that knows its running task: active from the start
        TargetPosition position = TargetPosition.of(active, T0.minusSeconds(30),
                Map.of("run", T0.minusSeconds(100)));
        Poller poller = poller(List.of(history, active), Map.of("one", new RateLimit(1.0)), 10, 0.0, () -> 0.0,
                Map.of("active", position));
        poller.start();
        new ManualDriver(clock, poller).runUntil(T0.plus(Duration.ofMinutes(2)));

        List<InMemoryTaskCenter.Request> historyPages = center.requests.stream()
                .filter(r -> r.target().equals("history")).toList();
        assertThat(historyPages.stream().map(r -> r.query().get("offset")).distinct()).as("50 pages read")
                .hasSize(50);
        Instant lastPage = historyPages.get(49).at();
        List<Instant> activeTimes = center.times("active");
        assertThat(activeTimes.stream().filter(at -> !at.isAfter(lastPage))).as("active polls during the listing")
                .hasSizeGreaterThanOrEqualTo(10);
        for (int k = 0; k < activeTimes.size(); k++) {
            Instant due = T0.plus(Duration.ofSeconds(5L * k));
            assertThat(Duration.between(due, activeTimes.get(k))).as("cycle %d of the active target", k)
                    .isLessThanOrEqualTo(Duration.ofSeconds(1));
        }
        assertThat(registry.get("taskwatch.poller.schedule.lateness").timer().max(TimeUnit.MILLISECONDS))
                .isLessThanOrEqualTo(1000.0);
        assertThat(registry.get("taskwatch.poller.budget.requests").tag("purpose", "history").counter().count())
                .isEqualTo(50);
        assertThat(sink.ids()).contains("run:RUNNING");
        poller.close();
    }

    @Test
    void shouldPollANewlyWatchedIdAtTheActiveIntervalWithoutWaitingForTheIdleOne() {
        TestDialect byId = TestDialect.getByIdOnly();
        Target t = new Target("tdb", byId.service(), "eu-de", "p-tdb", URI.create("http://mem/tdb"), "one",
                Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofDays(1));
        List<Instant> gets = new ArrayList<>();
        TaskCenterClient client = (target, request, auth) -> {
            gets.add(clock.instant());
            return new ApiResponse(200, "{\"task\":{\"id\":\"" + request.query().get("id")
                    + "\",\"status\":\"Running\"}}", null, clock.instant(), "mem://tdb");
        };
        WatchSet watchSet = new WatchSet(List.of(t), registry);
        Poller poller = Poller.builder(PollerSettings.defaults(), List.of(new PolledTarget(t, byId,
                        new TestAuthenticator()))).snapshots(sink).watch(watchSet, key -> { }).client(client)
                .metrics(registry).clock(clock).random(() -> 0.0).manual().build();
        poller.start();
        ManualDriver driver = new ManualDriver(clock, poller);
        driver.runUntil(T0.plus(Duration.ofMinutes(1)));
        assertThat(gets).as("nothing watched: no request").isEmpty();

        dev.taskwatch.avro.TaskKey key = new dev.taskwatch.avro.TaskKey("taurusdb", "eu-de", "p-tdb", "job");
        watchSet.apply(key, new dev.taskwatch.avro.WatchRequest("taurusdb", "eu-de", "p-tdb", "job",
                clock.instant(), "test", null));
        driver.runFor(Duration.ofSeconds(21));
        assertThat(gets).as("polled at once, then every 5 s").hasSize(5);
        assertThat(gets.get(0)).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        poller.close();
    }
}
