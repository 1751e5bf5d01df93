package dev.taskwatch.poller;

import static dev.taskwatch.poller.PollerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskStatus;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TargetPollerTest {

    private final PollerFixture f;

    TargetPollerTest() throws Exception {
        f = new PollerFixture();
    }

    @AfterEach
    void close() {
        f.close();
    }

    private FakeTaskCenter.Tenant tenant(String prefix, int tasks, String status) {
        FakeTaskCenter.Tenant t = f.center.tenant(prefix);
        for (int i = 1; i <= tasks; i++) {
            t.add("t" + i, status, T0.minus(Duration.ofMinutes(60 - i)));
        }
        return t;
    }

    /** The offsets of the listings of all tasks (not those filtered to Running). */
    private static List<String> offsets(FakeTaskCenter.Tenant t) {
        return t.requests.stream().filter(r -> !r.query().containsKey("status")).map(r -> r.query().get("offset"))
                .toList();
    }

    @Test
    void shouldReadThreePagesUntilTotalCountIsReached() throws Exception {
        FakeTaskCenter.Tenant t = tenant("a", 6, "Completed");
        TargetPoller poller = f.lister("a", 2);

        poller.runCycle();

        assertThat(offsets(t)).containsExactly("0", "2", "4");
        assertThat(t.requests).allSatisfy(r -> assertThat(r.query()).containsEntry("limit", "2"));
        assertThat(f.sink.ids()).containsExactly("t1:COMPLETED", "t2:COMPLETED", "t3:COMPLETED", "t4:COMPLETED",
                "t5:COMPLETED", "t6:COMPLETED");
        assertThat(f.counter("taskwatch.poller.snapshots.published", "a")).isEqualTo(6);
        assertThat(f.requests("a", "200")).as("and the Running tasks before the lookback").isEqualTo(4);
    }

    @Test
    void shouldReadThreePagesUntilAShortPageWithoutTotalCount() throws Exception {
        FakeTaskCenter.Tenant t = tenant("a", 5, "Completed");
        t.omitTotal = true;
        TargetPoller poller = f.lister("a", 2);

        poller.runCycle();

        assertThat(offsets(t)).containsExactly("0", "2", "4");
        assertThat(f.sink.published).hasSize(5);
    }

    @Test
    void shouldReadAnEmptyLastPageWithoutTotalCountWhenTasksFillWholePages() throws Exception {
        FakeTaskCenter.Tenant t = tenant("a", 4, "Completed");
        t.omitTotal = true;
        TargetPoller poller = f.lister("a", 2);

        poller.runCycle();

        assertThat(offsets(t)).containsExactly("0", "2", "4");
        assertThat(f.sink.published).hasSize(4);
    }

    @Test
    void shouldStopAtMaxPagesPerCycleAndContinueInTheNextCycle() throws Exception {
        f.settings = new PollerSettings(Duration.ofSeconds(10), 2, Duration.ofSeconds(60), Duration.ofMinutes(5), 0.2);
        FakeTaskCenter.Tenant t = tenant("a", 7, "Completed");
        TargetPoller poller = f.lister("a", 2);

        Duration next = poller.runCycle();
        assertThat(offsets(t)).containsExactly("0", "2");
        assertThat(next).as("backlog left: come back soon").isEqualTo(PollerFixture.ACTIVE_INTERVAL);
        assertThat(poller.health().cycleCompleted()).isTrue();

        f.clock.advance(next);
        next = poller.runCycle();
        assertThat(offsets(t)).containsExactly("0", "2", "4", "6");
        assertThat(f.sink.ids()).doesNotHaveDuplicates().hasSize(7);
        assertThat(next).isEqualTo(PollerFixture.INTERVAL);

        f.clock.advance(next);
        poller.runCycle();
        assertThat(offsets(t)).as("then only the new tasks").containsExactly("0", "2", "4", "6", "0");
    }

    @Test
    void shouldHonourRetryAfterSecondsOn429() throws Exception {
        tenant("a", 1, "Completed").then(429, "{\"error_code\":\"APIG.0308\"}", Map.of("Retry-After", "7"));
        TargetPoller poller = f.lister("a", 10);

        Duration next = poller.runCycle();

        assertThat(next).isEqualTo(Duration.ofSeconds(7));
        assertThat(f.sink.published).isEmpty();
        assertThat(poller.health().lastOutcome()).isEqualTo(ResponseOutcome.THROTTLED);
        assertThat(poller.health().lastError()).contains("Throttled", "429", "Retry-After 7");
        assertThat(f.requests("a", "APIG.0308")).isEqualTo(1);

        f.clock.advance(next);
        poller.runCycle();
        assertThat(f.sink.published).hasSize(1);
        assertThat(poller.health().lastError()).isNull();
    }

    @Test
    void shouldHonourRetryAfterAsHttpDate() throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(T0.plusSeconds(20).atOffset(ZoneOffset.UTC));
        tenant("a", 1, "Completed").then(429, "", Map.of("Retry-After", date));

        assertThat(f.lister("a", 10).runCycle()).isEqualTo(Duration.ofSeconds(20));
        assertThat(f.requests("a", "429")).isEqualTo(1);
    }

    @Test
    void shouldBackOffExponentiallyOnGatewayThrottlingCodeInBody() throws Exception {
        FakeTaskCenter.Tenant t = tenant("a", 1, "Completed");
        t.then(400, "{\"error_code\":\"APIG.0308\",\"error_msg\":\"The throttling threshold has been reached\"}")
                .then(400, "{\"code\":\"APIGW.0308\",\"message\":\"throttled\"}");
        TargetPoller poller = f.lister("a", 10);

        assertThat(poller.runCycle()).as("half of 1 s").isEqualTo(Duration.ofMillis(500));
        assertThat(poller.runCycle()).as("half of 2 s").isEqualTo(Duration.ofMillis(1000));
        assertThat(poller.health().lastOutcome()).isEqualTo(ResponseOutcome.THROTTLED);
        assertThat(f.requests("a", "APIG.0308")).isEqualTo(1);
        assertThat(f.requests("a", "APIGW.0308")).isEqualTo(1);
        assertThat(f.sink.published).isEmpty();
    }

    @Test
    void shouldCapBackoffAtBackoffMax() throws Exception {
        FakeTaskCenter.Tenant t = tenant("a", 1, "Completed");
        t.downStatus = 503;
        f.random = 0.999;
        TargetPoller poller = f.lister("a", 10);
        Duration last = Duration.ZERO;
        for (int i = 0; i < 20; i++) {
            last = poller.runCycle();
        }
        assertThat(last).isLessThanOrEqualTo(Duration.ofMinutes(5)).isGreaterThan(Duration.ofMinutes(4));
    }

    @Test
    void shouldBackOffOnServerErrorThenSucceed() throws Exception {
        tenant("a", 2, "Completed").then(500, "{\"error_code\":\"DBS.500\"}");
        TargetPoller poller = f.lister("a", 10);

        Duration next = poller.runCycle();
        assertThat(next).isEqualTo(Duration.ofMillis(500));
        assertThat(f.sink.published).isEmpty();
        assertThat(poller.health().lastOutcome()).isEqualTo(ResponseOutcome.SERVER_ERROR);
        assertThat(f.requests("a", "500")).isEqualTo(1);

        f.clock.advance(next);
        assertThat(poller.runCycle()).isEqualTo(PollerFixture.INTERVAL);
        assertThat(f.sink.published).hasSize(2);
        assertThat(poller.health().cycleCompleted()).isTrue();
        assertThat(poller.health().lastSuccess()).isEqualTo(f.clock.instant());
    }

    @Test
    void shouldRefreshTokenOnceOn401AndRetry() throws Exception {
        FakeTaskCenter.Tenant t = tenant("a", 1, "Completed").then(401, "{\"error_code\":\"APIG.1002\"}");
        TestAuthenticator auth = new TestAuthenticator();
        TestDialect dialect = TestDialect.listingOnly();
        var target = f.target("a", dialect, Duration.ofDays(1), "cred");
        TargetPoller poller = f.poller(target, dialect, 10, auth, new WatchSet(List.of(target), f.registry));

        assertThat(poller.runCycle()).isEqualTo(PollerFixture.INTERVAL);

        assertThat(auth.invalidations).hasValue(1);
        assertThat(t.requests).extracting(FakeTaskCenter.Recorded::token).containsExactly("token-1", "token-2", "token-2");
        assertThat(f.sink.published).hasSize(1);
        assertThat(f.requests("a", "APIG.1002")).isEqualTo(1);
    }

    @Test
    void shouldReportUnauthorizedWhenTheRefreshedTokenIsRejectedToo() throws Exception {
        FakeTaskCenter.Tenant t = tenant("a", 1, "Completed").then(401, "").then(401, "");
        TestAuthenticator auth = new TestAuthenticator();
        TestDialect dialect = TestDialect.listingOnly();
        var target = f.target("a", dialect, Duration.ofDays(1), "cred");
        TargetPoller poller = f.poller(target, dialect, 10, auth, new WatchSet(List.of(target), f.registry));

        Duration next = poller.runCycle();

        assertThat(auth.invalidations).hasValue(1);
        assertThat(t.requests).hasSize(2);
        assertThat(next).isEqualTo(Duration.ofMillis(500));
        assertThat(poller.health().lastError()).contains("Target a", "401", "test token");
        assertThat(f.sink.published).isEmpty();
    }

    @Test
    void shouldReportForbiddenAsPermissionProblemNamingTheTargetAndRetryAtSlowInterval() throws Exception {
        tenant("a", 1, "Completed").then(403, "{\"error_code\":\"DBS.0403\",\"error_msg\":\"no permission\"}");
        TargetPoller poller = f.lister("a", 10);

        Duration next = poller.runCycle();

        assertThat(next).isEqualTo(PollerFixture.INTERVAL);
        assertThat(poller.health().lastOutcome()).isEqualTo(ResponseOutcome.FORBIDDEN);
        assertThat(poller.health().lastError()).contains("Permission problem", "target a", "403", "DBS.0403");
        assertThat(poller.health().settled()).isTrue();
        assertThat(poller.health().cycleCompleted()).isFalse();
        assertThat(f.requests("a", "403")).isEqualTo(1);
    }

    @Test
    void shouldCountMalformedBodyAndNeitherPublishNorAdvanceAnything() throws Exception {
        FakeTaskCenter.Tenant t = tenant("a", 1, "Running");
        TargetPoller poller = f.lister("a", 10);
        poller.runCycle();
        assertThat(poller.known()).containsOnlyKeys("t1");
        int publishedBefore = f.sink.published.size();

        t.task("t1").status = "Completed";
        t.then(200, "{\"tasks\":[{\"id\":\"t1\",\"status\":\"Completed\"");
        Duration next = poller.runCycle();

        assertThat(f.counter("taskwatch.poller.malformed", "a")).isEqualTo(1);
        assertThat(f.requests("a", "malformed")).isEqualTo(1);
        assertThat(f.sink.published).hasSize(publishedBefore);
        assertThat(poller.known()).as("nothing advanced").containsOnlyKeys("t1");
        assertThat(next).isEqualTo(Duration.ofMillis(500));
        assertThat(poller.health().lastError()).contains("Malformed", "target a");

        f.clock.advance(next);
        poller.runCycle();
        assertThat(f.sink.ids()).endsWith("t1:COMPLETED");
        assertThat(poller.known()).isEmpty();
    }

    private static java.time.Instant from(FakeTaskCenter.Recorded r) {
        return java.time.Instant.ofEpochMilli(Long.parseLong(r.query().get("from")));
    }

    @Test
    void shouldKeepPollingALongRunningTaskBeyondTheLookbackUntilItCompletes() throws Exception {
        FakeTaskCenter.Tenant t = f.center.tenant("a");
        t.add("long", "Running", T0.minus(Duration.ofHours(1)));
        t.add("other", "Running", T0.minus(Duration.ofHours(2)));
        TargetPoller poller = f.lister("a", 10); // lookback 1 day

        assertThat(poller.runCycle()).isEqualTo(PollerFixture.ACTIVE_INTERVAL);
        for (int i = 0; i < 3; i++) {
            f.clock.advance(Duration.ofDays(1));
            int before = t.requests.size();
            poller.runCycle();
            assertThat(t.requests.subList(before, t.requests.size())).as("a listing reaches back to the tasks")
                    .anySatisfy(r -> assertThat(from(r)).isBeforeOrEqualTo(T0.minus(Duration.ofHours(2))));
        }
        assertThat(f.sink.ids()).containsOnly("long:RUNNING", "other:RUNNING");

        t.task("long").status = "Completed";
        t.task("other").status = "Completed";
        f.clock.advance(Duration.ofSeconds(5));
        assertThat(poller.runCycle()).isEqualTo(PollerFixture.INTERVAL);

        assertThat(f.sink.ids()).endsWith("other:COMPLETED", "long:COMPLETED");
        assertThat(poller.known()).isEmpty();
        f.clock.advance(Duration.ofSeconds(30));
        int sweep = t.requests.size();
        poller.runCycle();
        assertThat(t.requests.subList(sweep, t.requests.size())).as("idle now: the sweep is due").singleElement()
                .satisfies(r -> assertThat(from(r)).isEqualTo(f.clock.instant().minus(Duration.ofDays(1))));
        f.clock.advance(Duration.ofSeconds(30));
        int before = t.requests.size();
        poller.runCycle();
        assertThat(t.requests.subList(before, t.requests.size())).as("only the new tasks are read").singleElement()
                .satisfies(r -> assertThat(from(r)).isEqualTo(f.clock.instant().minus(Duration.ofSeconds(30))
                        .minus(PollerSettings.DEFAULT_VISIBILITY_MARGIN)));
    }

    @Test
    void shouldFindATaskStartedLongBeforeTheLookbackOnTheFirstCycle() throws Exception {
        FakeTaskCenter.Tenant t = f.center.tenant("a");
        t.add("old", "Running", T0.minus(Duration.ofDays(10)));
        t.add("done", "Completed", T0.minus(Duration.ofDays(10)));
        TargetPoller restarted = f.lister("a", 10); // lookback 1 day, memory empty as after a restart

        restarted.runCycle();
        assertThat(f.sink.ids()).as("the running task before the lookback, not the finished one")
                .containsExactly("old:RUNNING");
        assertThat(t.requests).hasSize(2);
        assertThat(t.requests.get(1).query()).containsEntry("status", "Running");
        assertThat(from(t.requests.get(1))).isBefore(T0.minus(Duration.ofDays(29)));

        t.task("old").status = "Completed";
        f.clock.advance(Duration.ofSeconds(5));
        restarted.runCycle();
        assertThat(f.sink.ids()).containsExactly("old:RUNNING", "old:COMPLETED");
    }

    @Test
    void shouldSwitchBetweenFastAndSlowIntervalWithoutStretchingThem() throws Exception {
        FakeTaskCenter.Tenant t = tenant("a", 1, "Completed");
        TargetPoller poller = f.lister("a", 10);
        assertThat(poller.runCycle()).isEqualTo(PollerFixture.INTERVAL);

        t.add("new", "Running", T0);
        assertThat(poller.runCycle()).isEqualTo(PollerFixture.ACTIVE_INTERVAL);
        // jitter is a phase given by the scheduler, never a stretched interval
        f.random = 0.0;
        assertThat(poller.runCycle()).isEqualTo(PollerFixture.ACTIVE_INTERVAL);
        f.random = 0.999;
        assertThat(poller.runCycle()).isEqualTo(PollerFixture.ACTIVE_INTERVAL);

        t.task("new").status = "Failed";
        f.random = 0.5;
        assertThat(poller.runCycle()).isEqualTo(PollerFixture.INTERVAL);
        assertThat(f.registry.get("taskwatch.poller.tasks.inflight").tag("target", "a").gauge().value()).isZero();
    }

    @Test
    void shouldReportGaugeOfTasksInFlight() throws Exception {
        tenant("a", 3, "Running");
        TargetPoller poller = f.lister("a", 10);
        poller.runCycle();
        assertThat(f.registry.get("taskwatch.poller.tasks.inflight").tag("target", "a").gauge().value())
                .isEqualTo(3);
        assertThat(f.registry.get("taskwatch.poller.cycle.duration").tag("target", "a").timer().count())
                .isEqualTo(1);
    }

    @Test
    void shouldRetryLaterWithoutAdvancingWhenTheSinkIsUnavailable() throws Exception {
        tenant("a", 1, "Running");
        f.sink.unavailableTimes = 1;
        TargetPoller poller = f.lister("a", 10);

        assertThat(poller.runCycle()).isEqualTo(Duration.ofMillis(500));
        assertThat(poller.known()).isEmpty();
        assertThat(poller.health().lastError()).contains("Could not publish", "target a");

        poller.runCycle();
        assertThat(poller.known()).containsOnlyKeys("t1");
    }

    @Test
    void shouldReportConnectionErrorsAndBackOff() throws Exception {
        TestDialect dialect = TestDialect.listingOnly();
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var target = new dev.taskwatch.taskcenter.Target("down", dialect.service(), "eu-de", "p",
                java.net.URI.create("http://127.0.0.1:" + port + "/x"), "cred", PollerFixture.INTERVAL,
                PollerFixture.ACTIVE_INTERVAL, Duration.ofDays(1));
        TargetPoller poller = f.poller(target, dialect, 10, new TestAuthenticator(),
                new WatchSet(List.of(target), f.registry));

        assertThat(poller.runCycle()).isEqualTo(Duration.ofMillis(500));
        assertThat(poller.health().lastOutcome()).isEqualTo(ResponseOutcome.CONNECTION);
        assertThat(poller.health().lastError()).contains("target down");
        assertThat(f.requests("down", "connection")).isEqualTo(1);
    }

    @Test
    void shouldReportTimeoutsAndBackOff() throws Exception {
        f.settings = new PollerSettings(Duration.ofMillis(200), 50, Duration.ofSeconds(60), Duration.ofMinutes(5),
                0.2);
        FakeTaskCenter.Tenant t = tenant("a", 1, "Completed");
        t.stallMillis = 1500;
        TargetPoller poller = f.lister("a", 10);

        assertThat(poller.runCycle()).isEqualTo(Duration.ofMillis(500));
        assertThat(poller.health().lastOutcome()).isEqualTo(ResponseOutcome.TIMEOUT);
        assertThat(f.requests("a", "timeout")).isEqualTo(1);
    }

    @Test
    void shouldSendEndpointBasePathPathAndEncodedQuery() throws Exception {
        FakeTaskCenter.Tenant t = f.center.tenant("svc");
        t.then(200, "{}");
        TestAuthenticator auth = new TestAuthenticator();
        var http = new TaskCenterHttp(f.unirest, Duration.ofSeconds(5), f.clock);
        var endpoint = java.net.URI.create(f.center.endpoint("svc") + "/");
        var target = new dev.taskwatch.taskcenter.Target("svc", dev.taskwatch.taskcenter.Service.GEMINIDB, "eu-de",
                "p1", endpoint, "cred", PollerFixture.INTERVAL, PollerFixture.ACTIVE_INTERVAL, Duration.ofDays(1));
        var query = new java.util.LinkedHashMap<String, String>();
        query.put("start_time", "2023-09-12T06:44:01+0000");
        query.put("name", "a b&c");

        ApiResponse response = http.execute(target,
                dev.taskwatch.taskcenter.ApiRequest.get("/v3/p1/tasks", query), auth);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.source()).isEqualTo(f.center.endpoint("svc") + "/v3/p1/tasks");
        FakeTaskCenter.Recorded r = t.requests.get(0);
        assertThat(r.path()).isEqualTo("/svc/v3/p1/tasks");
        assertThat(r.rawQuery()).isEqualTo("start_time=2023-09-12T06%3A44%3A01%2B0000&name=a%20b%26c");
        assertThat(r.query()).containsEntry("start_time", "2023-09-12T06:44:01+0000").containsEntry("name", "a b&c");
        assertThat(auth.lastRequest.uri().toString()).isEqualTo(f.center.endpoint("svc")
                + "/v3/p1/tasks?start_time=2023-09-12T06%3A44%3A01%2B0000&name=a%20b%26c");
        assertThat(r.token()).isEqualTo("token-1");
    }

    @Test
    void shouldForgetAKnownTaskThatIsNoLongerFoundThreeTimesInARow() throws Exception {
        FakeTaskCenter.Tenant t = tenant("a", 2, "Running");
        TargetPoller poller = f.lister("a", 10);
        poller.runCycle();
        assertThat(poller.known()).containsOnlyKeys("t1", "t2");

        t.tasks.remove(t.task("t1"));
        for (int i = 0; i < RequestReader.NOT_FOUND_LIMIT - 1; i++) {
            assertThat(poller.runCycle()).isEqualTo(PollerFixture.ACTIVE_INTERVAL);
            assertThat(poller.known()).as("one answer is not proof").containsOnlyKeys("t1", "t2");
        }
        poller.runCycle();
        assertThat(poller.known()).containsOnlyKeys("t2");
    }

    @Test
    void shouldStopFollowingARunningTaskOnceItLeavesTheApisThirtyDayHistory() throws Exception {
        FakeTaskCenter.Tenant t = f.center.tenant("a");
        t.add("stuck", "Running", T0.minus(Duration.ofDays(29)));
        TestDialect dialect = TestDialect.listingOnly();
        var target = f.target("a", dialect, Duration.ofDays(30), "cred");
        TargetPoller poller = f.poller(target, dialect, 10, new TestAuthenticator(),
                new WatchSet(List.of(target), f.registry));
        poller.runCycle();
        assertThat(poller.known()).containsOnlyKeys("stuck");

        f.clock.advance(Duration.ofDays(2));
        assertThat(poller.runCycle()).isEqualTo(PollerFixture.INTERVAL);
        assertThat(poller.known()).isEmpty();
    }

    @Test
    void shouldNotForgetKnownTasksWhenThePageGuardCutTheReadShort() throws Exception {
        f.settings = new PollerSettings(Duration.ofSeconds(10), 1, Duration.ofSeconds(60), Duration.ofMinutes(5), 0.2);
        FakeTaskCenter.Tenant t = tenant("a", 3, "Running");
        TargetPoller poller = f.lister("a", 2);
        poller.runCycle(); // t1, t2
        poller.runCycle(); // t3 (continuation)
        assertThat(poller.known()).containsOnlyKeys("t1", "t2", "t3");
        poller.runCycle(); // t1, t2 again, cut short
        assertThat(poller.known()).as("a listing cut short forgets nothing").containsOnlyKeys("t1", "t2", "t3");
    }

}
