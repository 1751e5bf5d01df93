package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;

/** Everything a poller test needs: manual clock, fake task center, in-memory sink, meters. */
final class PollerFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");
    static final Duration INTERVAL = Duration.ofSeconds(30);
    static final Duration ACTIVE_INTERVAL = Duration.ofSeconds(5);

    final ManualClock clock = new ManualClock(T0);
    final FakeTaskCenter center;
    final UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(2000));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final InMemorySnapshotSink sink = new InMemorySnapshotSink();
    final List<TaskKey> released = new CopyOnWriteArrayList<>();
    final WatchReleaser releaser = released::add;
    /** 0.5: no interval jitter, backoff exactly half its ceiling. */
    double random = 0.5;
    PollerSettings settings = PollerSettings.defaults();

    PollerFixture() throws Exception {
        center = new FakeTaskCenter(clock);
    }

    Target target(String prefix, TestDialect dialect, Duration lookback, String credentials) {
        return new Target(prefix, dialect.service(), "eu-de", "project-" + prefix, center.endpoint(prefix),
                credentials, INTERVAL, ACTIVE_INTERVAL, lookback);
    }

    TargetPoller poller(Target target, TestDialect dialect, Integer pageSize, TestAuthenticator auth,
            WatchSet watchSet) {
        center.tenant(target.name());
        return new TargetPoller(new PolledTarget(target, dialect, auth, pageSize), settings,
                new TaskCenterHttp(unirest, settings.requestTimeout(), clock), new StatusCodeResponsePolicy(),
                sink, watchSet, releaser, registry, clock, () -> random);
    }

    TargetPoller lister(String prefix, Integer pageSize) {
        TestDialect dialect = TestDialect.listingOnly();
        Target target = target(prefix, dialect, Duration.ofDays(1), "cred");
        return poller(target, dialect, pageSize, new TestAuthenticator(), new WatchSet(List.of(target), registry));
    }

    double requests(String target, String outcome) {
        Counter c = registry.find("taskwatch.poller.requests").tag("target", target).tag("outcome", outcome)
                .counter();
        return c == null ? 0 : c.count();
    }

    double counter(String name, String target) {
        Counter c = registry.find(name).tag("target", target).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        center.close();
        unirest.close();
    }
}
