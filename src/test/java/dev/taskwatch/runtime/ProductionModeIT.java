package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.devkit.embedded.EmbeddedKafka;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwatch.model.Topics;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.BrokerAndRegistry;
import dev.taskwatch.testing.SimulatorTargets;
import dev.taskwatch.testing.TaskwatchProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production mode (issue 5, item 5) as an operator deploys it: {@code java -jar target/taskwatch.jar} against a Kafka
 * cluster (an {@link EmbeddedKafka} started by the test, playing the external cluster) and a real schema registry
 * (Apicurio Registry's Confluent-compatible API), polling a scripted simulator. Nothing may be embedded, the topics
 * are created (watch requests compacted), the schemas land in the registry under the topic-name strategy, and a task
 * driven to completion gives exactly STARTED then COMPLETED. With {@code topics.create: false} a missing topic stops
 * the start with a message naming it.
 */
class ProductionModeIT {

    private static final String PROJECT = "p1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final BrokerAndRegistry services = new BrokerAndRegistry();

    @TempDir
    Path dir;

    private final List<TaskwatchProcess> processes = new ArrayList<>();
    /** One per test, so that no test's poller sees another's tasks. */
    private Simulator simulator;

    @AfterEach
    void killProcesses() throws InterruptedException {
        for (TaskwatchProcess p : processes) {
            p.kill();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @BeforeEach
    void startSimulator() {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withNotFoundGrace(Duration.ZERO));
    }

    private TaskwatchProcess start(String... args) throws Exception {
        TaskwatchProcess p = TaskwatchProcess.start(dir, args);
        processes.add(p);
        return p;
    }

    @Test
    void shouldRunAgainstTheExternalBrokerAndRegistryWithoutEmbeddingAnything() throws Exception {
        Topics topics = Topics.defaults();
        Path state = dir.resolve("streams-state");
        Path config = Files.writeString(dir.resolve("taskwatch.yaml"), config(topics, true, "taskwatch-transitions",
                "  state-dir: " + state + "\n"));
        Path data = dir.resolve("data");

        TaskwatchProcess run = start("run", "--config", config.toString(), "--data-dir", data.toString(),
                "--print-events", "jsonl");
        run.awaitStderr(line -> line.contains("started:"));

        assertThat(run.stderrLines()).as(run.stderr())
                .anySatisfy(line -> assertThat(line).contains("Kafka:").endsWith(" " + services.bootstrapServers()))
                .anySatisfy(line -> assertThat(line).contains("Schema registry:").endsWith(" "
                        + services.registryUrl()))
                .noneSatisfy(line -> assertThat(line).containsAnyOf("embedded broker", "in-process",
                        "built-in simulator"));
        assertThat(listing(data)).as("nothing written to the data dir (no broker data, no schema journal, no "
                + "bootstrap file, no Streams state)").isEmpty();

        assertTopicsExist(topics);

        SimTask task = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "Resize");
        run.awaitEvent(task.id() + " STARTED");
        simulator.tasks().complete(task.id());
        run.awaitEvent(task.id() + " COMPLETED");
        Thread.sleep(2_000); // a few more poll cycles: nothing may be repeated
        assertThat(run.events()).containsExactly(task.id() + " STARTED", task.id() + " COMPLETED");

        assertThat(subjects()).contains(topics.snapshots() + "-key", topics.snapshots() + "-value",
                topics.events() + "-key", topics.events() + "-value");
        run.stopCleanly();
    }

    @Test
    void shouldRunPollAndTransitionsAsSeparateProcesses() throws Exception {
        Topics topics = new Topics("split.");
        Path config = Files.writeString(dir.resolve("taskwatch.yaml"), config(topics, true, "split-transitions",
                "  state-dir: " + dir.resolve("streams-state") + "\n"));

        TaskwatchProcess transitions = start("transitions", "--config", config.toString(), "--print-events",
                "jsonl");
        transitions.awaitStderr(line -> line.contains("started:"));
        TaskwatchProcess poll = start("poll", "--config", config.toString());
        poll.awaitStderr(line -> line.contains("started:"));
        assertTopicsExist(topics);

        SimTask task = simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "Backup");
        transitions.awaitEvent(task.id() + " STARTED");
        simulator.tasks().complete(task.id());
        transitions.awaitEvent(task.id() + " COMPLETED");
        Thread.sleep(2_000);
        assertThat(transitions.events()).containsExactly(task.id() + " STARTED", task.id() + " COMPLETED");
        assertThat(poll.stdoutLines()).as("the poller prints no events").isEmpty();
        assertThat(subjects()).contains(topics.snapshots() + "-key", topics.snapshots() + "-value",
                topics.events() + "-key", topics.events() + "-value");

        poll.stopCleanly();
        transitions.stopCleanly();
    }

    @Test
    void shouldFailClearlyWhenATopicIsMissingAndTopicsCreateIsFalse() throws Exception {
        Topics topics = new Topics("precreated.");
        try (Admin admin = admin()) {
            List<NewTopic> all = topics.all().stream().filter(t -> !t.equals(topics.events()))
                    .map(t -> new NewTopic(t, 1, (short) 1)).toList();
            admin.createTopics(all).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(all.stream().map(NewTopic::name)
                    .toList())) { // created topics reach the broker's metadata a moment later
                assertThat(System.nanoTime()).as("pre-created topics listed within 30 s").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        Path config = Files.writeString(dir.resolve("taskwatch.yaml"), config(topics, false, "precreated-transitions",
                "  state-dir: " + dir.resolve("streams-state") + "\n"));

        TaskwatchProcess run = start("run", "--config", config.toString(), "--data-dir",
                dir.resolve("data").toString(), "--print-events", "jsonl");

        assertThat(run.process().waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        assertThat(run.process().exitValue()).as(run.stderr()).isNotZero();
        assertThat(run.stderrLines()).as(run.stderr()).anySatisfy(line -> assertThat(line)
                .contains("Missing topic " + topics.events() + " ").contains("topics.create"));
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("nothing created")
                    .doesNotContain(topics.events());
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers()));
    }

    private static void assertTopicsExist(Topics topics) throws Exception {
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(topics.all());
            ConfigResource watch = new ConfigResource(ConfigResource.Type.TOPIC, topics.watchRequests());
            Config config = admin.describeConfigs(List.of(watch)).all().get(30, TimeUnit.SECONDS).get(watch);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        }
    }

    /** The subjects Apicurio's Confluent-compatible API knows. */
    private static Set<String> subjects() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(services.registryUrl() + "/subjects")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Set<String> subjects = new java.util.TreeSet<>();
        for (JsonNode s : JSON.readTree(response.body())) {
            subjects.add(s.asText());
        }
        return subjects;
    }

    private static List<String> listing(Path data) throws Exception {
        if (!Files.exists(data)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(p -> !p.equals(data)).map(Path::toString).toList();
        }
    }

    private String config(Topics topics, boolean create, String applicationId, String transitionsExtra) {
        StringBuilder yaml = new StringBuilder("""
                kafka:
                  bootstrap-servers: %s
                schema-registry:
                  url: %s
                topics:
                  prefix: "%s"
                  partitions: 2
                  create: %s
                credentials:
                  sim:
                    type: token
                    token: prod-token
                    requests-per-second: 50
                http:
                  port: 0
                transitions:
                  application-id: %s
                  commit-interval: 200ms
                """.formatted(services.bootstrapServers(), services.registryUrl(), topics.prefix(), create,
                applicationId));
        yaml.append(transitionsExtra);
        yaml.append("targets:\n");
        yaml.append(SimulatorTargets.yaml(simulator, PROJECT, List.of(Service.GEMINIDB, Service.OPENGAUSS)));
        return yaml.toString();
    }
}
