package dev.taskwatch.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.config.ConfigLoader;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.poller.ApiResponse;
import dev.taskwatch.poller.LaneRequest;
import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.TaskCenterClient;
import dev.taskwatch.poller.TransportException;
import dev.taskwatch.taskcenter.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Discovery against an in-memory IAM and instance lists, its requests run one by one as a lane would. */
class TargetDiscoveryTest {

    private static final String YAML = """
            credentials:
              acct:
                type: token
                token: t
            targets:
              - service: dds
                region: eu-de
                project-id: p-explicit
                credentials: acct
                name: dds-by-hand
            discovery:
              credentials: [acct]
              regions: [eu-de]
              services: [dds, rds]
              exclude: ["*_sandbox"]
              empty-interval: 15m
            """;

    /** projects by id: name and enabled. */
    private final Map<String, Map.Entry<String, Boolean>> iamProjects = new LinkedHashMap<>();
    private final Set<String> emptyProjects = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new ArrayList<>();
    private volatile boolean iamDown;
    private final Deque<LaneRequest> lane = new ArrayDeque<>();
    private List<PolledTarget> polled = List.of();

    private final TaskCenterClient client = (target, request, authenticator) -> {
        requests.add(request.path());
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        if (request.path().equals("/v3/auth/projects")) {
            if (iamDown) {
                throw new TransportException(dev.taskwatch.poller.ResponseOutcome.CONNECTION, "connection refused", null);
            }
            StringBuilder body = new StringBuilder("{\"projects\": [");
            iamProjects.forEach((id, p) -> body.append(body.length() > 14 ? "," : "").append("{\"id\": \"")
                    .append(id).append("\", \"name\": \"").append(p.getKey()).append("\", \"enabled\": ")
                    .append(p.getValue()).append('}'));
            return new ApiResponse(200, body.append("]}").toString(), null, now, "iam");
        }
        boolean empty = emptyProjects.contains(target.projectId());
        return new ApiResponse(200, "{\"instances\": [" + (empty ? "" : "{\"id\": \"i\"}") + "], \"total_count\": "
                + (empty ? 0 : 1) + "}", null, now, "x");
    };

    private TargetDiscovery discovery(List<PolledTarget> explicit) {
        TaskwatchConfig config = ConfigLoader.parse(YAML, Map.of());
        TargetDiscovery d = new TargetDiscovery(config, explicit, client, null, Clock.systemUTC(),
                new SimpleMeterRegistry());
        d.attach(targets -> polled = List.copyOf(targets), (credential, request) -> lane.add(request));
        return d;
    }

    /** Runs the queued lane requests (and those they queue) in order; returns how many requests were sent. */
    private int drain() {
        int before = requests.size();
        while (!lane.isEmpty()) {
            lane.poll().run();
        }
        return requests.size() - before;
    }

    private List<String> names() {
        return polled.stream().map(t -> t.target().name()).toList();
    }

    private Target target(String name) {
        return polled.stream().map(PolledTarget::target).filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void shouldPollEveryEnabledWantedProjectPerServiceAndLeaveExplicitTargetsAlone() {
        iamProjects.put("p-main", Map.entry("eu-de", true));
        iamProjects.put("p-ana", Map.entry("eu-de_analytics", true));
        iamProjects.put("p-off", Map.entry("eu-de_retired", false));
        iamProjects.put("p-box", Map.entry("eu-de_sandbox", true));
        iamProjects.put("p-nl", Map.entry("eu-nl_prod", true));
        iamProjects.put("p-explicit", Map.entry("eu-de_byhand", true));
        iamProjects.put("p-mos", Map.entry("MOS", true));
        TaskwatchConfig config = ConfigLoader.parse(YAML, Map.of());
        TargetDiscovery d = discovery(List.of());
        d.refresh();

        int spent = drain();

        assertThat(names()).containsExactlyInAnyOrder("dds/eu-de/eu-de", "rds/eu-de/eu-de",
                "dds/eu-de/eu-de_analytics", "rds/eu-de/eu-de_analytics", "dds/eu-de/eu-de_byhand",
                "rds/eu-de/eu-de_byhand");
        assertThat(spent).as("one IAM call and one probe per listing target (rds is get-by-id: not probed)")
                .isEqualTo(1 + 3);
        Target dds = target("dds/eu-de/eu-de_analytics");
        assertThat(dds.projectId()).isEqualTo("p-ana");
        assertThat(dds.endpoint()).hasToString("https://dds.eu-de.otc.t-systems.com");
        assertThat(dds.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(target("rds/eu-de/eu-de").endpoint()).hasToString("https://rds.eu-de.otc.t-systems.com");
        assertThat(config.targets()).hasSize(1);
    }

    @Test
    void shouldNotDiscoverWhatAnExplicitTargetAlreadyPolls() {
        iamProjects.put("p-explicit", Map.entry("eu-de_byhand", true));
        TaskwatchConfig config = ConfigLoader.parse(YAML, Map.of());
        List<PolledTarget> explicit = PollerAssembly.configuredTaskSources(config, null, Clock.systemUTC(),
                new SimpleMeterRegistry()).targets();
        TargetDiscovery d = discovery(explicit);
        d.refresh();
        drain();

        assertThat(names()).containsExactly("dds-by-hand", "rds/eu-de/eu-de_byhand");
    }

    @Test
    void shouldAddANewProjectRemoveAGoneOrDisabledOneAndKeepTheLastSetWhileIamFails() {
        iamProjects.put("p-a", Map.entry("eu-de_a", true));
        iamProjects.put("p-b", Map.entry("eu-de_b", true));
        TargetDiscovery d = discovery(List.of());
        d.refresh();
        drain();
        assertThat(names()).hasSize(4);

        iamProjects.remove("p-a");
        iamProjects.put("p-b", Map.entry("eu-de_b", false));
        iamProjects.put("p-c", Map.entry("eu-de_c", true));
        d.refresh();
        drain();
        assertThat(names()).containsExactlyInAnyOrder("dds/eu-de/eu-de_c", "rds/eu-de/eu-de_c");

        iamDown = true;
        List<PolledTarget> before = polled;
        d.refresh();
        assertThat(drain()).as("one failed IAM call, no probe").isEqualTo(1);
        assertThat(polled).isSameAs(before);
        assertThat(d.discovered()).hasSize(2);
    }

    @Test
    void shouldSkipARefreshWhileThePreviousOneOfTheCredentialIsStillQueued() {
        iamProjects.put("p-a", Map.entry("eu-de_a", true));
        TargetDiscovery d = discovery(List.of());
        d.refresh();
        d.refresh();
        assertThat(lane).as("one IAM call queued").hasSize(1);
        lane.poll().run();
        d.refresh();
        assertThat(lane).as("its probe is still queued: no new refresh").hasSize(1);
        drain();
        d.refresh();
        assertThat(drain()).isEqualTo(2);
    }

    @Test
    void shouldPollAProjectWithoutInstancesAtTheEmptyIntervalUntilOneAppears() {
        iamProjects.put("p-a", Map.entry("eu-de_a", true));
        emptyProjects.add("p-a");
        TargetDiscovery d = discovery(List.of());
        d.refresh();
        drain();
        assertThat(target("dds/eu-de/eu-de_a").interval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(target("dds/eu-de/eu-de_a").activeInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(target("rds/eu-de/eu-de_a").interval()).isEqualTo(Duration.ofSeconds(30));

        emptyProjects.clear();
        d.refresh();
        drain();
        assertThat(target("dds/eu-de/eu-de_a").interval()).isEqualTo(Duration.ofSeconds(30));
    }
}
