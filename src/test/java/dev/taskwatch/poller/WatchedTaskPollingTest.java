package dev.taskwatch.poller;

import static dev.taskwatch.poller.PollerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchedTaskPollingTest {

    private final PollerFixture f;
    private final TestDialect dialect = TestDialect.getByIdOnly();
    private final Target target;
    private final WatchSet watchSet;
    private final TargetPoller poller;
    private final FakeTaskCenter.Tenant tenant;

    WatchedTaskPollingTest() throws Exception {
        f = new PollerFixture();
        target = f.target("tdb", dialect, Duration.ofDays(1), "cred");
        watchSet = new WatchSet(List.of(target), f.registry);
        poller = f.poller(target, dialect, null, new TestAuthenticator(), watchSet);
        tenant = f.center.tenant("tdb");
    }

    @AfterEach
    void close() {
        f.close();
    }

    private TaskKey watch(String id, Instant requestedAt) {
        TaskKey key = new TaskKey(target.service().id(), target.region(), target.projectId(), id);
        watchSet.apply(key, new WatchRequest(key.getService(), key.getRegion(), key.getProjectId(), id, requestedAt,
                "test", null));
        return key;
    }

    @Test
    void shouldPollAWatchedIdUntilTerminalThenReleaseIt() throws Exception {
        tenant.add("job-1", "Running", T0.minusSeconds(30));
        TaskKey key = watch("job-1", T0.minusSeconds(20));

        assertThat(poller.runCycle()).isEqualTo(PollerFixture.ACTIVE_INTERVAL);
        assertThat(f.sink.ids()).containsExactly("job-1:RUNNING");
        assertThat(f.released).isEmpty();
        assertThat(tenant.requests).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/tdb/v3/project-tdb/task");
            assertThat(r.query()).containsEntry("id", "job-1");
        });

        tenant.task("job-1").status = "Completed";
        f.clock.advance(Duration.ofSeconds(5));
        assertThat(poller.runCycle()).isEqualTo(PollerFixture.INTERVAL);

        assertThat(f.sink.ids()).containsExactly("job-1:RUNNING", "job-1:COMPLETED");
        assertThat(f.released).containsExactly(key);
        assertThat(watchSet.contains(key)).isFalse();
        assertThat(f.registry.get("taskwatch.poller.watchset.size").gauge().value()).isZero();

        poller.runCycle();
        assertThat(tenant.requests).as("released ids are no longer polled").hasSize(2);
    }

    @Test
    void shouldRetryANotFoundIdWithinTheGracePeriod() throws Exception {
        TaskKey key = watch("fresh", T0);
        f.clock.advance(Duration.ofSeconds(10));

        assertThat(poller.runCycle()).isEqualTo(PollerFixture.ACTIVE_INTERVAL);
        assertThat(f.released).isEmpty();
        assertThat(watchSet.contains(key)).isTrue();
        assertThat(f.requests("tdb", "404")).isEqualTo(1);

        tenant.add("fresh", "Running", T0.plusSeconds(12));
        f.clock.advance(Duration.ofSeconds(5));
        poller.runCycle();
        assertThat(f.sink.ids()).containsExactly("fresh:RUNNING");
        assertThat(f.counter("taskwatch.poller.watch.not-found", "tdb")).isZero();
    }

    @Test
    void shouldReportAndReleaseAnIdStillNotFoundAfterTheGracePeriod() throws Exception {
        TaskKey key = watch("ghost", T0);
        TaskKey other = watch("real", T0);
        tenant.add("real", "Running", T0);

        f.clock.set(T0.plus(Duration.ofSeconds(59)));
        poller.runCycle();
        assertThat(f.released).isEmpty();

        f.clock.set(T0.plus(Duration.ofSeconds(61)));
        poller.runCycle();

        assertThat(f.released).containsExactly(key);
        assertThat(watchSet.contains(key)).isFalse();
        assertThat(watchSet.contains(other)).isTrue();
        assertThat(f.counter("taskwatch.poller.watch.not-found", "tdb")).isEqualTo(1);
        assertThat(f.sink.ids()).containsOnly("real:RUNNING");
        assertThat(poller.health().lastError()).isNull();
    }

    @Test
    void shouldBackOffWhenGetByIdIsThrottledAndKeepTheWatch() throws Exception {
        tenant.add("job-1", "Running", T0);
        TaskKey key = watch("job-1", T0);
        tenant.then(429, "{\"error_code\":\"APIG.0308\"}", java.util.Map.of("Retry-After", "3"));

        assertThat(poller.runCycle()).isEqualTo(Duration.ofSeconds(3));
        assertThat(watchSet.contains(key)).isTrue();
        assertThat(f.sink.published).isEmpty();

        tenant.then(502, "bad gateway");
        assertThat(poller.runCycle()).isEqualTo(Duration.ofMillis(1000));
        assertThat(poller.health().lastOutcome()).isEqualTo(ResponseOutcome.SERVER_ERROR);
        assertThat(f.requests("tdb", "502")).isEqualTo(1);
    }

    @Test
    void shouldCountAMalformedGetByIdBodyAndKeepTheWatch() throws Exception {
        TaskKey key = watch("job-1", T0);
        tenant.then(200, "{\"job\": {\"id\": \"job-1\"}}}");

        poller.runCycle();

        assertThat(f.counter("taskwatch.poller.malformed", "tdb")).isEqualTo(1);
        assertThat(watchSet.contains(key)).isTrue();
        assertThat(f.released).isEmpty();
    }

    @Test
    void shouldUseTheEndpointOfTheWatchRequestWhenGiven() throws Exception {
        FakeTaskCenter.Tenant privateEndpoint = f.center.tenant("private");
        privateEndpoint.add("job-9", "Completed", T0);
        TaskKey key = new TaskKey(target.service().id(), target.region(), target.projectId(), "job-9");
        watchSet.apply(key, new WatchRequest(key.getService(), key.getRegion(), key.getProjectId(), "job-9", T0,
                null, f.center.endpoint("private").toString()));

        poller.runCycle();

        assertThat(privateEndpoint.requests).hasSize(1);
        assertThat(tenant.requests).isEmpty();
        assertThat(f.sink.published).singleElement()
                .satisfies(s -> assertThat(s.getSource()).isEqualTo(f.center.endpoint("private")
                        + "/v3/project-tdb/task"));
        assertThat(f.released).containsExactly(key);
    }

    @Test
    void shouldNotGetByIdWhatTheListOfTheSameCycleAlreadyShowed() throws Exception {
        TestDialect both = new TestDialect(Service.DDS, true, true, Duration.ofDays(30));
        Target dds = f.target("dds", both, Duration.ofDays(1), "cred");
        WatchSet set = new WatchSet(List.of(dds), f.registry);
        TargetPoller ddsPoller = f.poller(dds, both, 10, new TestAuthenticator(), set);
        FakeTaskCenter.Tenant t = f.center.tenant("dds");
        t.add("listed", "Completed", T0.minusSeconds(60));
        TaskKey key = new TaskKey("dds", "eu-de", dds.projectId(), "listed");
        set.apply(key, new WatchRequest("dds", "eu-de", dds.projectId(), "listed", T0, null, null));

        ddsPoller.runCycle();

        assertThat(t.requests).as("the history, then what still runs before it: no get-by-id")
                .extracting(FakeTaskCenter.Recorded::path)
                .containsExactly("/dds/v3/project-dds/tasks", "/dds/v3/project-dds/tasks");
        assertThat(f.released).containsExactly(key);
        assertThat(f.sink.ids()).containsExactly("listed:COMPLETED");
    }
}
