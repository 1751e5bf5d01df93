package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stored positions: the format, when they are written, and how a restart uses them. */
class PositionTest {

    private static final Instant T0 = PollerFixture.T0;
    /** Lists and reads by id, as the real list dialects do. */
    private static final TestDialect DIALECT = new TestDialect(dev.taskwatch.taskcenter.Service.DDS, true, true,
            Duration.ofDays(30));

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryTaskCenter center = new InMemoryTaskCenter(clock);
    private final InMemorySnapshotSink sink = new InMemorySnapshotSink();
    private final List<TargetPosition> stored = new ArrayList<>();

    private static Target target(String project, String endpoint) {
        return new Target("t", DIALECT.service(), "eu-de", project, URI.create(endpoint), "c",
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofHours(1));
    }

    private Poller poller(Target t, Map<String, TargetPosition> positions) {
        return Poller.builder(PollerSettings.defaults(), List.of(new PolledTarget(t, DIALECT, new TestAuthenticator(),
                        10))).snapshots(sink).positions((target, p) -> stored.add(p), positions).client(center)
                .metrics(new SimpleMeterRegistry()).clock(clock).random(() -> 0.0).manual().build();
    }

    private Instant windowFrom(int request) {
        return Instant.ofEpochMilli(Long.parseLong(center.requests.get(request).query().get("from")));
    }

    @Test
    void shouldWriteVersionedJsonAndReadItBack() {
        TargetPosition p = TargetPosition.of(target("p1", "https://dds.example/"), T0,
                Map.of("task-1", T0.minusSeconds(60)));
        String json = p.toJson();
        assertThat(json).contains("\"v\":1", "\"endpoint\":\"https://dds.example\"", "\"listed_at\":\"" + T0 + "\"");
        assertThat(TargetPosition.fromJson(json)).isEqualTo(p);
        assertThat(TargetPosition.fromSourceOffset(p.toSourceOffset())).isEqualTo(p);
        assertThat(p.toSourceOffset().values()).allMatch(v -> v instanceof String || v instanceof Integer);
    }

    @Test
    void shouldWriteTheSameTextForTheSamePositionWhateverOrderItsTasksWereSeenIn() {
        Target t = target("p1", "https://dds.example/");
        Map<String, Instant> seen = new java.util.LinkedHashMap<>();
        Map<String, Instant> reversed = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            seen.put("task-" + i, T0.minusSeconds(i));
        }
        for (int i = 49; i >= 0; i--) {
            reversed.put("task-" + i, T0.minusSeconds(i));
        }

        String json = TargetPosition.of(t, T0, seen).toJson();

        assertThat(TargetPosition.of(t, T0, reversed).toJson()).isEqualTo(json);
        assertThat(json).as("running tasks sorted by id").contains("\"task-0\":", "\"task-1\":")
                .matches(j -> j.indexOf("\"task-0\"") < j.indexOf("\"task-1\"")
                        && j.indexOf("\"task-1\"") < j.indexOf("\"task-10\""));
    }

    @Test
    void shouldRejectAnotherVersionOrDamageWithAOneLineReason() {
        assertThatThrownBy(() -> TargetPosition.fromJson("{\"v\":2}")).hasMessage(
                "poller position has version 2, this taskwatch reads version 1");
        assertThatThrownBy(() -> TargetPosition.fromJson("{\"v\":1,\"service\":\"dds\"}"))
                .hasMessageContaining("lacks the text field 'region'");
        assertThatThrownBy(() -> TargetPosition.fromJson("not json")).hasMessageStartingWith(
                "poller position is not JSON").extracting(Throwable::getMessage).matches(m -> !m.contains("\n"));
    }

    @Test
    void shouldStoreAPositionOnlyAfterTheSnapshotsItCoversWereAcknowledged() {
        Target t = target("p1", "http://mem/t");
        center.add("t", "run", "Running", T0.minusSeconds(600));
        center.add("t", "old", "Completed", T0.minus(Duration.ofMinutes(30)));
        sink.unavailableTimes = 1;
        Poller poller = poller(t, Map.of());
        poller.start();
        ManualDriver driver = new ManualDriver(clock, poller);

        driver.runUntil(T0.plusSeconds(1)); // a lane's first request waits one slot
        assertThat(sink.published).isEmpty();
        assertThat(stored).as("nothing published, nothing stored").isEmpty();

        driver.runUntil(T0.plusSeconds(10)); // backoff, then the cycle succeeds
        assertThat(sink.ids()).contains("old:COMPLETED", "run:RUNNING");
        assertThat(stored).singleElement().satisfies(p -> {
            assertThat(p.running()).containsOnlyKeys("run");
            assertThat(p.appliesTo(t)).isTrue();
        });

        driver.runUntil(T0.plusSeconds(60));
        assertThat(stored).as("unchanged positions are not rewritten every cycle").hasSize(1);
        center.setStatus("t", "run", "Completed");
        driver.runUntil(T0.plusSeconds(70));
        assertThat(stored).hasSize(2);
        assertThat(stored.get(1).running()).isEmpty();
    }

    @Test
    void shouldResumeWithOneListingBackToTheTaskThatRanInsteadOfThirtyDays() {
        Target t = target("p1", "http://mem/t");
        Instant listedAt = T0.minus(Duration.ofMinutes(40));
        center.add("t", "run", "Completed", T0.minus(Duration.ofHours(3))); // ended while down
        Poller poller = poller(t, Map.of("t", TargetPosition.of(t, listedAt, Map.of("run",
                T0.minus(Duration.ofHours(3))))));
        poller.start();
        new ManualDriver(clock, poller).runUntil(T0.plusSeconds(2)); // a lane's first request waits one slot

        assertThat(center.requests).as("the new tasks and the task that ran, in one page").hasSize(1);
        assertThat(windowFrom(0)).isEqualTo(T0.minus(Duration.ofHours(3)));
        assertThat(sink.ids()).containsExactly("run:COMPLETED");
        Instant lastListing = center.requests.get(0).at();
        clock.advance(Duration.ofSeconds(30));
        new ManualDriver(clock, poller).runUntil(clock.instant());
        assertThat(windowFrom(1)).as("later cycles: the tasks created since the last listing")
                .isEqualTo(lastListing.minus(PollerSettings.DEFAULT_VISIBILITY_MARGIN));
    }

    @Test
    void shouldReadTheTasksCreatedSinceListedAtMinusTheVisibilityMargin() {
        Target t = target("p1", "http://mem/t");
        Instant listedAt = T0.minus(Duration.ofHours(5));
        Poller poller = poller(t, Map.of("t", TargetPosition.of(t, listedAt, Map.of())));
        poller.start();
        new ManualDriver(clock, poller).runUntil(T0.plusSeconds(1)); // a lane's first request waits one slot
        assertThat(windowFrom(0)).isEqualTo(listedAt.minus(PollerSettings.DEFAULT_VISIBILITY_MARGIN));
    }

    @Test
    void shouldIgnoreAPositionWrittenForAnotherProjectOrEndpoint() {
        Target now = target("p2", "http://mem/t");
        Poller poller = poller(now, Map.of("t", TargetPosition.of(target("p1", "http://mem/t"), T0, Map.of())));
        poller.start();
        new ManualDriver(clock, poller).runUntil(T0.plusSeconds(2)); // a lane's first request waits one slot
        assertThat(windowFrom(0)).as("the whole lookback").isEqualTo(T0.plusSeconds(1).minus(now.lookback()));
        assertThat(windowFrom(1)).as("and what still runs in the API's whole history")
                .isBefore(T0.minus(Duration.ofDays(29)));

        Target moved = target("p2", "http://elsewhere/t");
        assertThat(TargetPosition.of(now, T0, Map.of()).appliesTo(moved)).isFalse();
    }

    @Test
    void shouldCostOneRequestToResumeWhereAFirstStartReadsEveryPageOfTheHistory() {
        Target t = target("p1", "http://mem/t");
        for (int i = 0; i < 450; i++) {
            center.add("t", "old" + i, "Completed", T0.minus(Duration.ofHours(1)).plusSeconds(7L * i));
        }
        center.add("t", "run", "Running", T0.minus(Duration.ofHours(2)));
        Poller first = poller(t, Map.of());
        first.start();
        new ManualDriver(clock, first).runUntil(T0.plusSeconds(50)); // 45 pages + Running at 1 request/s
        first.close();
        int firstStart = center.requests.size();

        clock.advance(Duration.ofMinutes(30)); // down: the running task ends
        center.setStatus("t", "run", "Completed");
        Poller resumed = poller(t, Map.of("t", stored.get(stored.size() - 1)));
        resumed.start();
        new ManualDriver(clock, resumed).runUntil(clock.instant().plusSeconds(2));
        int resumedRequests = center.requests.size() - firstStart;

        Poller forgetful = poller(t, Map.of());
        forgetful.start();
        new ManualDriver(clock, forgetful).runUntil(clock.instant().plusSeconds(50)); // 1 request/s
        int withoutPosition = center.requests.size() - firstStart - resumedRequests;

        assertThat(firstStart).as("451 tasks, 10 per page, then active cycles").isGreaterThanOrEqualTo(46);
        // the span back to the task that ran holds more than a page: the extended listing's first page shows it, then
        // the new tasks alone, then the task by id
        assertThat(resumedRequests).as("a bounded number, not the history").isLessThanOrEqualTo(3);
        assertThat(withoutPosition).as("the whole lookback again (185 tasks of it left)").isGreaterThanOrEqualTo(19);
        assertThat(sink.ids()).containsSubsequence("run:RUNNING", "run:COMPLETED");
    }
}
