package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.config.ConfigLoader;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Authenticators;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The docker-compose stack's poller configuration, loaded by the real {@link ConfigLoader} with the compose
 * service's environment (only the simulator's URL pointed at an in-test simulator), turned into targets, IAM password
 * authenticators and dialects, polls the simulator and sees every task it serves: configuration, authentication,
 * dialects and simulator agree end to end.
 */
class ComposeConfigAgainstSimulatorTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    @Test
    void shouldSeeEverySimulatedTaskThroughTheComposeStacksPollerConfig() throws Exception {
        Map<String, String> env = composeEnvironment("poll");
        ManualClock clock = new ManualClock(PollerFixture.T0);
        SimulatorSettings settings = SimulatorSettings.defaults().withNotFoundGrace(Duration.ZERO)
                .withUsers(Map.of(env.get("TASKWATCH_IAM_USER"), env.get("TASKWATCH_IAM_PASSWORD")));
        try (Simulator simulator = Simulator.start(settings, clock, d -> {});
                UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(2_000))) {
            clock.advance(Duration.ofHours(1)); // about 120 random tasks over the four services
            simulator.tasks().advance();
            env.put("TASKWATCH_SIMULATOR_URL", simulator.iamEndpoint().toString());

            TaskwatchConfig config = ConfigLoader.parse(Files.readString(ROOT.resolve("deploy/compose/taskwatch.yaml")),
                    env);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            List<PolledTarget> polled = new ArrayList<>();
            for (TaskwatchConfig.TargetConfig t : config.targets()) {
                Target target = t.target();
                TaskwatchConfig.CredentialConfig credential = config.credentials().get(target.credentials());
                polled.add(new PolledTarget(target, Dialects.of(target.service()), Authenticators.create(
                        credential.credentials(), target.region(), target.projectId(), unirest, clock),
                        t.pageSize()));
            }
            assertThat(polled).extracting(p -> p.target().service()).containsExactlyInAnyOrder(Service.GEMINIDB,
                    Service.OPENGAUSS, Service.DDS, Service.TAURUSDB);
            WatchSet watchSet = WatchSet.forTargets(polled, registry);
            InMemorySnapshotSink sink = new InMemorySnapshotSink();
            PollerSettings pollerSettings = new PollerSettings(config.poller().requestTimeout(),
                    config.poller().maxPagesPerCycle(), config.poller().watchNotFoundGrace(),
                    config.poller().backoffMax(), config.poller().jitter());

            Map<Service, Set<String>> expected = new LinkedHashMap<>();
            for (PolledTarget p : polled) {
                Target target = p.target();
                List<SimTask> visible = simulator.tasks().visibleTasks(target.service(), target.projectId());
                assertThat(visible).as(target.name() + ": the simulator has tasks in the configured project")
                        .isNotEmpty();
                expected.put(target.service(), visible.stream().map(SimTask::id).collect(Collectors.toSet()));
                if (target.service() == Service.TAURUSDB) {
                    for (SimTask task : visible) { // get-by-id only: the ids come as watch requests
                        watchSet.apply(new dev.taskwatch.avro.TaskKey(target.service().id(), target.region(),
                                target.projectId(), task.id()), new WatchRequest(target.service().id(),
                                target.region(), target.projectId(), task.id(), clock.instant(), "test", null));
                    }
                }
            }
            for (PolledTarget p : polled) {
                TargetPoller poller = new TargetPoller(p, pollerSettings,
                        new TaskCenterHttp(unirest, pollerSettings.requestTimeout(), clock),
                        new StatusCodeResponsePolicy(), sink, watchSet, key -> { }, registry, clock, () -> 0.5);
                poller.runCycle();
                assertThat(poller.health().lastError()).as(p.target().name()).isNull();
            }

            Map<String, Set<String>> published = sink.published.stream().collect(Collectors.groupingBy(
                    TaskSnapshot::getService, Collectors.mapping(TaskSnapshot::getTaskId, Collectors.toSet())));
            expected.forEach((service, ids) -> assertThat(published.get(service.id()))
                    .as(service.id() + " tasks seen through the compose config").isEqualTo(ids));
        }
    }

    /** The environment docker-compose.yml gives {@code service} (YAML merge keys resolved by SnakeYAML). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> composeEnvironment(String service) throws Exception {
        Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) services.get(service))
                .get("environment");
        Map<String, String> env = new LinkedHashMap<>();
        environment.forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }
}
