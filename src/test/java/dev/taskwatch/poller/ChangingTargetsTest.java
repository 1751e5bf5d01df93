package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Poller#updateTargets} and {@link Poller#submit}: a target set that changes while polling, on a manual clock. */
class ChangingTargetsTest {

    private static final Instant T0 = PollerFixture.T0;
    private static final TestDialect DIALECT = new TestDialect(Service.DDS, true, true, Duration.ofDays(30));

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryTaskCenter center = new InMemoryTaskCenter(clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemorySnapshotSink sink = new InMemorySnapshotSink();
    private final Map<String, TargetPosition> stored = new HashMap<>();
    private final PositionSink positions = (target, position) -> stored.put(target.name(), position);

    private static PolledTarget target(String name) {
        return new PolledTarget(new Target(name, Service.DDS, "eu-de", "p-" + name, URI.create("http://mem/" + name),
                "one", Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofDays(1)), DIALECT,
                new TestAuthenticator());
    }

    private Poller poller(List<PolledTarget> targets, double rate) {
        PollerSettings settings = new PollerSettings(Duration.ofSeconds(10), 50, Duration.ofSeconds(60),
                Duration.ofMinutes(5), 0.0);
        return Poller.builder(settings, targets).rateLimits(Map.of("one", new RateLimit(rate))).snapshots(sink)
                .positions(positions, Map.of()).client(center).metrics(registry).clock(clock).random(() -> 0.5)
                .manual().build();
    }

    private long requestsOf(String target, Instant from) {
        return center.requests.stream().filter(r -> r.target().equals(target) && !r.at().isBefore(from)).count();
    }

    @Test
    void shouldPollAnAddedTargetAndStopPollingARemovedOneWithoutStoringAnythingForIt() {
        center.add("a", "a-1", "Completed", T0.minus(Duration.ofHours(1)));
        center.add("b", "b-1", "Completed", T0.minus(Duration.ofHours(1)));
        center.add("c", "c-1", "Completed", T0.minus(Duration.ofHours(1)));
        Poller poller = poller(List.of(target("a"), target("b")), 10.0);
        poller.start();
        ManualDriver driver = new ManualDriver(clock, poller);
        driver.runFor(Duration.ofMinutes(2));
        assertThat(requestsOf("c", T0)).isZero();
        TargetPosition bBefore = stored.get("b");
        assertThat(bBefore).isNotNull();

        Instant change = clock.instant();
        Poller.Change result = poller.updateTargets(List.of(target("a"), target("c")));
        assertThat(result).isEqualTo(new Poller.Change(1, 1));
        assertThat(poller.targetNames()).containsExactlyInAnyOrder("a", "c");
        driver.runFor(Duration.ofMinutes(5));

        assertThat(requestsOf("b", change)).as("a removed target sends nothing").isZero();
        assertThat(stored.get("b")).as("its stored position is left as it was").isSameAs(bBefore);
        assertThat(requestsOf("c", change)).as("the added target reads its history and keeps polling")
                .isGreaterThanOrEqualTo(5);
        assertThat(sink.ids()).contains("c-1:COMPLETED");
        assertThat(requestsOf("a", change)).as("an unchanged target goes on at its interval").isBetween(9L, 11L);
        assertThat(poller.health()).extracting(h -> h.target()).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void shouldDropTheMetersOfARemovedTargetAndReadTheReplacementInTheMetersOfAReplacedOne() {
        Poller poller = poller(List.of(target("a"), target("b")), 10.0);
        poller.start();
        ManualDriver driver = new ManualDriver(clock, poller);
        driver.runFor(Duration.ofMinutes(1));
        assertThat(registry.find("taskwatch.poller.target.staleness").tag("target", "b").gauge()).isNotNull();

        PolledTarget slowerA = new PolledTarget(new Target("a", Service.DDS, "eu-de", "p-a", URI.create("http://mem/a"),
                "one", Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofDays(1)), DIALECT,
                new TestAuthenticator());
        assertThat(poller.updateTargets(List.of(slowerA))).isEqualTo(new Poller.Change(1, 2));
        driver.runFor(Duration.ofMinutes(30));

        assertThat(registry.find("taskwatch.poller.target.staleness").tag("target", "b").gauge())
                .as("no gauge of a target nobody polls").isNull();
        assertThat(registry.find("taskwatch.poller.target.staleness").tag("target", "a").gauge().value())
                .as("the replacement's staleness, a cycle at most 10 minutes ago").isLessThanOrEqualTo(600.0);
        Instant since = clock.instant().minus(Duration.ofMinutes(20));
        assertThat(requestsOf("a", since)).as("the replacement polls at its own interval").isBetween(2L, 3L);
    }

    @Test
    void shouldResumeATargetAddedAgainFromWhereItStoodInsteadOfReadingItsHistoryAgain() {
        center.add("a", "a-1", "Completed", T0.minus(Duration.ofHours(1)));
        Poller poller = poller(List.of(target("a")), 10.0);
        poller.start();
        ManualDriver driver = new ManualDriver(clock, poller);
        driver.runFor(Duration.ofMinutes(2));
        poller.updateTargets(List.of());
        driver.runFor(Duration.ofMinutes(2));
        int published = sink.ids().size();

        Instant back = clock.instant();
        poller.updateTargets(List.of(target("a")));
        driver.runFor(Duration.ofSeconds(30));

        List<InMemoryTaskCenter.Request> after = center.requests.stream().filter(r -> !r.at().isBefore(back))
                .toList();
        assertThat(after).isNotEmpty();
        Instant from = Instant.ofEpochMilli(Long.parseLong(after.get(0).query().get("from")));
        assertThat(from).as("the first listing after re-adding starts near the position, not a day back")
                .isAfter(T0.minus(Duration.ofMinutes(10)));
        assertThat(sink.ids()).hasSize(published);
    }

    @Test
    void shouldSpendASlotOfTheCredentialOnASubmittedRequestBeforeIdleTargets() {
        List<PolledTarget> targets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            targets.add(target("t" + i));
        }
        Poller poller = poller(targets, 1.0);
        poller.start();
        ManualDriver driver = new ManualDriver(clock, poller);
        driver.runFor(Duration.ofMinutes(5));
        List<Instant> extraAt = new ArrayList<>();
        Instant submitted = clock.instant();
        for (int i = 0; i < 3; i++) {
            poller.submit("one", () -> {
                extraAt.add(clock.instant());
                return true;
            });
        }
        driver.runFor(Duration.ofSeconds(10));

        assertThat(extraAt).hasSize(3);
        assertThat(Duration.between(submitted, extraAt.get(2))).isLessThanOrEqualTo(Duration.ofSeconds(4));
        List<Instant> all = new ArrayList<>(center.requests.stream().map(InMemoryTaskCenter.Request::at)
                .filter(at -> !at.isBefore(submitted)).toList());
        all.addAll(extraAt);
        all.sort(null);
        for (int i = 1; i < all.size(); i++) {
            assertThat(Duration.between(all.get(i - 1), all.get(i))).as("one slot between any two requests")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        assertThat(registry.get("taskwatch.poller.budget.requests").tag("purpose", "discovery").counter().count())
                .isEqualTo(3.0);
    }
}
