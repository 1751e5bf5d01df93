package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.assembly.PollerAssembly;
import dev.taskwatch.assembly.TargetDiscovery;
import dev.taskwatch.config.ConfigLoader;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.devkit.simulator.SimulatedRequest;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.Test;

/**
 * "Budget where databases are", measured: three simulated hours of discovery over 100 projects of which 10 hold DDS
 * instances, with the real dialects over HTTP against the simulator, on a manual clock. Prints the requests per hour
 * spent on discovery and on the empty targets.
 */
class DiscoveryBudgetTest {

    @Test
    void shouldSpendTheBudgetOnTheProjectsThatHoldInstances() {
        ManualClock clock = new ManualClock(PollerFixture.T0);
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            projects.add(String.format("p%03d", i));
        }
        SimulatorSettings settings = SimulatorSettings.defaults().scriptedOnly().withProjects(projects);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Simulator simulator = Simulator.start(settings, clock, d -> { });
                UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(2_000))) {
            for (int i = 10; i < 100; i++) {
                simulator.instances().empty(Service.DDS, projects.get(i), true);
            }
            Map<String, AtomicLong> byProject = new ConcurrentHashMap<>();
            AtomicLong discoveryCalls = new AtomicLong(); // IAM and instance lists: the simulator names no project

            Instant[] measureFrom = {PollerFixture.T0.plus(Duration.ofHours(1))};
            simulator.onRequest((SimulatedRequest r) -> {
                if (clock.instant().isBefore(measureFrom[0])) {
                    return;
                }
                if (r.projectId() == null) {
                    discoveryCalls.incrementAndGet();
                } else {
                    byProject.computeIfAbsent(r.projectId(), p -> new AtomicLong()).incrementAndGet();
                }
            });
            TaskwatchConfig config = ConfigLoader.parse("""
                    credentials:
                      account:
                        type: token
                        token: t
                        requests-per-second: 5
                    discovery:
                      credentials: [account]
                      services: [dds]
                      iam-endpoint: %s
                      endpoint: %s/{service}
                    """.formatted(simulator.iamEndpoint(), simulator.iamEndpoint()), Map.of());
            Poller poller = Poller.builder(config.poller(), List.of())
                    .rateLimits(PollerAssembly.configuredTaskSources(config, unirest, clock, registry).rateLimits())
                    .snapshots(new InMemorySnapshotSink()).http(unirest).metrics(registry).clock(clock)
                    .random(() -> 0.5).manual().build();
            TargetDiscovery discovery = new TargetDiscovery(config, List.of(),
                    new TaskCenterHttp(unirest, Duration.ofSeconds(10), clock), unirest, clock, registry);
            discovery.attach(poller);
            poller.start();
            ManualDriver driver = new ManualDriver(clock, poller);
            for (int hour = 0; hour < 4; hour++) {
                discovery.refresh(); // what the refresh timer does every refresh-interval (1h)
                driver.runFor(Duration.ofHours(1));
            }

            assertThat(discovery.discovered()).hasSize(100);
            double hours = 3;
            double withInstances = projects.subList(0, 10).stream()
                    .mapToLong(p -> byProject.getOrDefault(p, new AtomicLong()).get()).average().orElse(0) / hours;
            double empty = projects.subList(10, 100).stream()
                    .mapToLong(p -> byProject.getOrDefault(p, new AtomicLong()).get()).average().orElse(0) / hours;
            double budgetDiscovery = registry.get("taskwatch.poller.budget.requests").tag("purpose", "discovery")
                    .counter().count() / 4;
            System.out.printf("DiscoveryBudgetTest: per hour: %.0f discovery requests counted in the budget, %.0f "
                    + "received by the simulator (1 IAM call + 100 instance lists); task-center requests per target "
                    + "%.1f with DDS instances, %.1f without%n", budgetDiscovery, discoveryCalls.get() / hours,
                    withInstances, empty);
            assertThat(discoveryCalls.get() / hours).isEqualTo(101.0);
            assertThat(budgetDiscovery).isEqualTo(101.0);
            assertThat(withInstances).as("30s interval: 120 cycles an hour").isBetween(115.0, 125.0);
            assertThat(empty).as("10m empty-interval: 6 cycles an hour").isBetween(5.0, 7.0);
        }
    }
}
