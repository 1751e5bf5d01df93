package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchSetTest {

    private static final Target TAURUS = target(Service.TAURUSDB, "eu-de", "p1");
    private static final Target DDS = target(Service.DDS, "eu-de", "p1");

    private static Target target(Service service, String region, String project) {
        return new Target(service.id() + "/" + region + "/" + project, service, region, project,
                URI.create("http://localhost"), "c", Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofDays(1));
    }

    private static TaskKey key(String service, String region, String project, String id) {
        return new TaskKey(service, region, project, id);
    }

    private static WatchRequest request(TaskKey k, long at) {
        return new WatchRequest(k.getService(), k.getRegion(), k.getProjectId(), k.getTaskId(),
                Instant.ofEpochSecond(at), null, null);
    }

    @Test
    void shouldKeepOnlyRequestsForThisPollersTargets() {
        WatchSet set = new WatchSet(List.of(TAURUS, DDS), new SimpleMeterRegistry());
        TaskKey mine = key("taurusdb", "eu-de", "p1", "a");
        TaskKey otherProject = key("taurusdb", "eu-de", "p2", "b");
        TaskKey otherRegion = key("dds", "eu-nl", "p1", "c");

        assertThat(set.apply(mine, request(mine, 1))).isTrue();
        assertThat(set.apply(otherProject, request(otherProject, 1))).isFalse();
        assertThat(set.apply(otherRegion, request(otherRegion, 1))).isFalse();

        assertThat(set.size()).isEqualTo(1);
        assertThat(set.entriesFor(TAURUS)).extracting(WatchRequest::getTaskId).containsExactly("a");
        assertThat(set.entriesFor(DDS)).isEmpty();
    }

    @Test
    void shouldWatchOnlyForTargetsWhoseDialectGetsById() {
        WatchSet set = WatchSet.forTargets(List.of(
                new PolledTarget(TAURUS, TestDialect.getByIdOnly(), new TestAuthenticator()),
                new PolledTarget(DDS, TestDialect.listingOnly(), new TestAuthenticator())), new SimpleMeterRegistry());
        TaskKey taurus = key("taurusdb", "eu-de", "p1", "a");
        TaskKey dds = key("dds", "eu-de", "p1", "b");
        assertThat(set.apply(taurus, request(taurus, 1))).isTrue();
        assertThat(set.apply(dds, request(dds, 1))).isFalse();
    }

    @Test
    void shouldReleaseOnTombstoneAndReplaceOnNewRequest() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WatchSet set = new WatchSet(List.of(TAURUS), registry);
        TaskKey a = key("taurusdb", "eu-de", "p1", "a");
        set.apply(a, request(a, 1));
        set.apply(a, request(a, 5));
        assertThat(set.entriesFor(TAURUS)).singleElement()
                .satisfies(r -> assertThat(r.getRequestedAt()).isEqualTo(Instant.ofEpochSecond(5)));
        assertThat(registry.get("taskwatch.poller.watchset.size").gauge().value()).isEqualTo(1);

        set.apply(a, null);
        assertThat(set.size()).isZero();
        assertThat(registry.get("taskwatch.poller.watchset.size").gauge().value()).isZero();
    }

    @Test
    void shouldRebuildTheSameSetFromAReplayOfTheTopic() {
        TaskKey a = key("taurusdb", "eu-de", "p1", "a");
        TaskKey b = key("taurusdb", "eu-de", "p1", "b");
        TaskKey c = key("dds", "eu-de", "p1", "c");
        List<Map.Entry<TaskKey, WatchRequest>> topic = List.of(
                new SimpleEntry<>(a, request(a, 1)), new SimpleEntry<>(b, request(b, 2)),
                new SimpleEntry<>(c, request(c, 3)), new SimpleEntry<>(a, null));

        WatchSet first = new WatchSet(List.of(TAURUS, DDS), new SimpleMeterRegistry());
        topic.forEach(e -> first.apply(e.getKey(), e.getValue()));
        WatchSet afterRestart = new WatchSet(List.of(TAURUS, DDS), new SimpleMeterRegistry());
        topic.forEach(e -> afterRestart.apply(e.getKey(), e.getValue()));

        assertThat(afterRestart.entriesFor(TAURUS)).isEqualTo(first.entriesFor(TAURUS))
                .extracting(WatchRequest::getTaskId).containsExactly("b");
        assertThat(afterRestart.entriesFor(DDS)).extracting(WatchRequest::getTaskId).containsExactly("c");
    }
}
