package dev.taskwatch.runtime;

import dev.taskwatch.testing.LongRunning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.SimulatedRequest;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.BrokerAndRegistry;
import dev.taskwatch.testing.TaskwatchProcess;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Watch a whole account": {@code java -jar target/taskwatch.jar run} with only a credential and a {@code discovery:}
 * section, against a real broker and registry and a simulator that serves the IAM project list. Projects appear,
 * disappear and IAM fails while it runs; 200 projects on one credential stay within its budget.
 */
@LongRunning
class DiscoveryIT {

    @RegisterExtension
    static final BrokerAndRegistry services = new BrokerAndRegistry();

    @TempDir
    Path dir;

    private final List<TaskwatchProcess> processes = new ArrayList<>();
    private Simulator simulator;

    @AfterEach
    void stop() throws InterruptedException {
        for (TaskwatchProcess p : processes) {
            p.kill();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    private TaskwatchProcess run(String prefix, double rate, int httpPort, String services) throws Exception {
        String yaml = """
                kafka:
                  bootstrap-servers: %s
                schema-registry:
                  url: %s
                topics:
                  prefix: "%s"
                  partitions: 2
                credentials:
                  account:
                    type: token
                    token: discovery-token
                    requests-per-second: %s
                discovery:
                  credentials: [account]
                  regions: [eu-de]
                  services: [%s]
                  exclude: ["*_sandbox"]
                  interval: 500ms
                  active-interval: 300ms
                  refresh-interval: 2s
                  empty-interval: 1h
                  iam-endpoint: %s
                  endpoint: %s/{service}
                http:
                  port: %d
                transitions:
                  application-id: %stransitions
                  commit-interval: 200ms
                  state-dir: %s
                """.formatted(DiscoveryIT.services.bootstrapServers(), DiscoveryIT.services.registryUrl(), prefix,
                rate, services, simulator.iamEndpoint(), simulator.iamEndpoint(), httpPort, prefix,
                dir.resolve(prefix + "state"));
        Path config = Files.writeString(dir.resolve(prefix + "taskwatch.yaml"), yaml);
        TaskwatchProcess p = TaskwatchProcess.start(dir, "run", "--config", config.toString(), "--data-dir",
                dir.resolve(prefix + "data").toString(), "--print-events", "jsonl");
        processes.add(p);
        p.awaitStderr(line -> line.contains("started:"));
        return p;
    }

    @Test
    void shouldFollowProjectsThatAppearAndDisappearAndKeepTheLastSetThroughAnIamOutage() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withNotFoundGrace(Duration.ZERO)
                .withProjects(List.of("p-main", "p-gone", "p-new", "p-box")));
        simulator.iam().remove("p-new"); // not there yet
        simulator.iam().put("p-box", "eu-de_sandbox", true); // excluded by its name
        int port = freePort();
        TaskwatchProcess run = run("moving.", 20, port, "dds, opengauss");

        SimTask first = simulator.tasks().createTask(Service.DDS, "p-main", "Create_MongoDB");
        run.awaitEvent(first.id() + " STARTED");
        SimTask gone = simulator.tasks().createTask(Service.OPENGAUSS, "p-gone", "Backup");
        run.awaitEvent(gone.id() + " STARTED");
        await("4 discovered targets on /metrics").atMost(Duration.ofSeconds(30))
                .until(() -> metric(port, "taskwatch_discovery_targets") == 4.0);

        simulator.iam().put("p-new", "eu-de_new", true);
        SimTask added = simulator.tasks().createTask(Service.DDS, "p-new", "Create_MongoDB");
        run.awaitEvent(added.id() + " STARTED");

        simulator.iam().remove("p-gone");
        await("the removed project's targets dropped").atMost(Duration.ofSeconds(30))
                .until(() -> metric(port, "taskwatch_discovery_targets") == 4.0);
        simulator.tasks().complete(gone.id());
        SimTask unseen = simulator.tasks().createTask(Service.OPENGAUSS, "p-gone", "Backup");
        SimTask boxed = simulator.tasks().createTask(Service.DDS, "p-box", "Create_MongoDB");

        simulator.iam().outage(true);
        run.awaitStderr(line -> line.contains("the last known targets stay"));
        simulator.tasks().complete(first.id());
        run.awaitEvent(first.id() + " COMPLETED");
        simulator.tasks().complete(added.id());
        run.awaitEvent(added.id() + " COMPLETED");
        simulator.iam().outage(false);
        Thread.sleep(5_000); // two refreshes more

        assertThat(run.events()).as("nothing of a removed or excluded project")
                .doesNotContain(gone.id() + " COMPLETED", unseen.id() + " STARTED", boxed.id() + " STARTED");
        assertThat(run.stderr()).doesNotContain("discovery-token");
        run.stopCleanly();
    }

    @Test
    void shouldWatchTwoHundredProjectsOfOneCredentialWithinItsBudget() throws Exception {
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            projects.add(String.format("p%03d", i));
        }
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withNotFoundGrace(Duration.ZERO)
                .withProjects(projects));
        for (int i = 10; i < 200; i++) { // ten projects hold DDS instances, the others none
            simulator.instances().empty(Service.DDS, projects.get(i), true);
        }
        List<Instant> requests = new CopyOnWriteArrayList<>();
        simulator.onRequest((SimulatedRequest r) -> requests.add(r.receivedAt()));
        int port = freePort();
        double rate = 40;
        TaskwatchProcess run = run("many.", rate, port, "dds");

        await("200 discovered targets").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> metric(port, "taskwatch_discovery_targets") == 200.0);
        await("190 of them at the empty interval").atMost(Duration.ofSeconds(30))
                .until(() -> metric(port, "taskwatch_discovery_targets_empty") == 190.0);
        SimTask task = simulator.tasks().createTask(Service.DDS, projects.get(3), "Create_MongoDB");
        run.awaitEvent(task.id() + " STARTED");

        List<Instant> sorted = new ArrayList<>(requests);
        sorted.sort(null);
        int maxInOneSecond = 0;
        for (int i = 0, j = 0; i < sorted.size(); i++) {
            while (Duration.between(sorted.get(j), sorted.get(i)).compareTo(Duration.ofSeconds(1)) >= 0) {
                j++;
            }
            maxInOneSecond = Math.max(maxInOneSecond, i - j + 1);
        }
        assertThat(maxInOneSecond).as("requests of the credential in any one second").isLessThanOrEqualTo((int) rate);
        run.stopCleanly();
    }

    private static double metric(int port, String name) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(response.body());
            return m.find() ? Double.parseDouble(m.group(2)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
