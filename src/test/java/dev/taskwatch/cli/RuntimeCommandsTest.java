package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage and exit codes of run, poll, transitions, simulate and check; check against the simulator. */
class RuntimeCommandsTest {

    private final CliRunner cli = CliRunner.withoutEnvironment();

    @TempDir
    Path dir;

    @Test
    void shouldPrintHelpOfEveryRuntimeCommand() {
        Map<String, List<String>> options = Map.of(
                "run", List.of("--config", "--data-dir", "--fresh", "--print-events"),
                "poll", List.of("--config"),
                "transitions", List.of("--config", "--print-events"),
                "simulate", List.of("--port", "--seed", "--new-tasks-per-minute", "--throttle-probability",
                        "--gateway-throttle-probability", "--server-error-probability", "--slow-probability",
                        "--slow-delay", "--malformed-probability", "--token"),
                "check", List.of("--config"),
                "events", List.of("--config", "--bootstrap-servers", "--data-dir"),
                "watch", List.of("--config", "--bootstrap-servers", "--data-dir"));
        options.forEach((command, expected) -> {
            CliRunner.Result result = cli.run(command, "--help");
            assertThat(result.exitCode()).as(command).isEqualTo(ExitCodes.OK);
            assertThat(result.out()).as(command).contains("Usage: taskwatch " + command);
            expected.forEach(option -> assertThat(result.out()).as(command).contains(option));
        });
    }

    @Test
    void shouldListEveryCommandOfTheDesignInTheUsage() {
        CliRunner.Result result = cli.run();

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        for (String command : List.of("run", "poll", "transitions", "events", "watch", "simulate", "check")) {
            assertThat(result.err()).contains(command);
        }
    }

    @Test
    void shouldExitTwoWithOneLinePerConfigProblem() throws IOException {
        Path config = write("""
                kafka:
                  bootstrap-server: localhost:9092
                http:
                  port: 70000
                """);

        for (String command : List.of("run", "poll", "transitions", "check")) {
            CliRunner.Result result = cli.run(command, "--config", config.toString());

            assertThat(result.exitCode()).as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(result.err().strip().lines()).as(command).containsExactly(
                    "kafka.bootstrap-server: unknown key (did you mean bootstrap-servers?)",
                    "http.port: must be 0 (disabled) to 65535, got 70000");
        }
    }

    @Test
    void shouldNameAMissingConfigFile() {
        CliRunner.Result result = cli.run("run", "--config", dir.resolve("nope.yaml").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().strip()).isEqualTo(dir.resolve("nope.yaml") + ": file not found");
    }

    @Test
    void shouldRefusePollWithoutKafkaRegistryAndTargets() throws IOException {
        CliRunner.Result result = cli.run("poll", "--config", write("http:\n  port: 0\n").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().strip().lines()).containsExactly(
                "kafka.bootstrap-servers: required by `taskwatch poll` (it starts no embedded broker); set it or "
                        + "TASKWATCH_KAFKA_BOOTSTRAP_SERVERS, or use `taskwatch run` for the embedded default",
                "schema-registry.url: required by `taskwatch poll` (it starts no in-process registry); set it or "
                        + "TASKWATCH_SCHEMA_REGISTRY_URL, or use `taskwatch run`",
                "targets: `taskwatch poll` needs at least one target (the built-in simulator runs only with "
                        + "`taskwatch run`; `taskwatch simulate` serves one that targets can point at)");
    }

    @Test
    void shouldTakeTheKafkaSettingsOfPollFromTheEnvironment() throws IOException {
        CliRunner withEnv = new CliRunner(Map.of("TASKWATCH_KAFKA_BOOTSTRAP_SERVERS", "localhost:1"));

        CliRunner.Result result = withEnv.run("poll", "--config", write("http:\n  port: 0\n").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).doesNotContain("kafka.bootstrap-servers").contains("schema-registry.url");
    }

    @Test
    void shouldRefuseToDeleteADirectoryThatIsNotATaskwatchDataDir() throws IOException {
        Path data = Files.createDirectories(dir.resolve("home"));
        Files.writeString(data.resolve("thesis.tex"), "precious");

        CliRunner.Result result = cli.run("run", "--fresh", "--data-dir", data.toString(), "--config",
                write("http:\n  port: 0\n").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().strip()).isEqualTo("--fresh: " + data + " does not look like a taskwatch data "
                + "directory (it holds thesis.tex); not deleting it");
        assertThat(data.resolve("thesis.tex")).exists();
    }

    @Test
    void shouldDeleteATaskwatchDataDirOnFresh() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(data.resolve("kafka").resolve("combined_0_0"));
        Files.writeString(data.resolve("schemas.jsonl"), "{}\n");

        RunCommand.deleteDataDir(data);

        assertThat(data).doesNotExist();
    }

    @Test
    void shouldReportOneLinePerTargetAndFailOnABadToken() throws IOException {
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withAcceptedTokens(Set.of("good-token")))) {
            Path config = write("""
                    credentials:
                      good:
                        type: token
                        token: good-token
                      bad:
                        type: token
                        token: stolen-token-value
                    targets:
                      - name: dds-good
                        service: dds
                        region: eu-de
                        project-id: p1
                        endpoint: %s
                        credentials: good
                      - name: taurus-good
                        service: taurusdb
                        region: eu-de
                        project-id: p1
                        endpoint: %s
                        credentials: good
                      - name: gemini-bad
                        service: geminidb
                        region: eu-de
                        project-id: p1
                        endpoint: %s
                        credentials: bad
                    """.formatted(simulator.endpoint(Service.DDS), simulator.endpoint(Service.TAURUSDB),
                    simulator.endpoint(Service.GEMINIDB)));

            CliRunner.Result result = cli.run("check", "--config", config.toString());

            assertThat(result.exitCode()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
            List<String> lines = result.out().lines().toList();
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("OK ").contains("dds-good")
                    .contains("list answered"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("OK ").contains("taurus-good")
                    .contains("not found"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("FAIL").contains("gemini-bad")
                    .contains("HTTP 401").contains("bad credentials (bad)"));
            assertThat(lines).last().isEqualTo("1 of 3 targets failed.");
            assertThat(result.out() + result.err()).doesNotContain("stolen-token-value").doesNotContain("good-token");
        }
    }

    @Test
    void shouldReportHowTheOpenGaussListReadsOffset() throws IOException {
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withOffsetReading(dev.taskwatch.taskcenter.OffsetReading.PAGES))) {
            for (int i = 0; i < 15; i++) {
                simulator.tasks().createTask(Service.OPENGAUSS, "p1", "Task" + i);
            }
            Path config = write("""
                    credentials:
                      dev:
                        type: token
                        token: anything
                    targets:
                      - name: og
                        service: opengauss
                        region: eu-de
                        project-id: p1
                        endpoint: %s
                        credentials: dev
                    """.formatted(simulator.endpoint(Service.OPENGAUSS)));

            CliRunner.Result result = cli.run("check", "--config", config.toString());

            assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(result.out().lines()).anySatisfy(l -> assertThat(l).startsWith("OK ").contains("og")
                    .contains("offset read as a page number"));
        }
    }

    @Test
    void shouldPrintWhatDiscoveryFindsAndFailWhenIamDoesNotAnswer() throws IOException {
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withProjects(List.of("p-main", "p-team")))) {
            Path config = write("""
                    credentials:
                      account:
                        type: token
                        token: secret-account-token
                    discovery:
                      credentials: [account]
                      services: [dds, rds]
                      iam-endpoint: %s
                      endpoint: %s/{service}
                    """.formatted(simulator.iamEndpoint(), simulator.iamEndpoint()));

            CliRunner.Result result = cli.run("check", "--config", config.toString());

            assertThat(result.exitCode()).as(result.out()).isEqualTo(ExitCodes.OK);
            List<String> lines = result.out().lines().toList();
            assertThat(lines).contains("OK   discovery, credentials account: 2 projects, 4 targets (instance lists are "
                    + "read when polling starts):");
            assertThat(lines).anySatisfy(l -> assertThat(l.strip()).isEqualTo("dds/eu-de/eu-de_project1  "
                    + simulator.iamEndpoint() + "/dds"));
            assertThat(lines).last().isEqualTo("All 1 checks OK.");

            simulator.iam().outage(true);
            CliRunner.Result down = cli.run("check", "--config", config.toString());
            assertThat(down.exitCode()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
            assertThat(down.out()).contains("FAIL discovery, credentials account: IAM answered HTTP 503")
                    .contains("1 of 1 checks failed.");
            assertThat(result.out() + result.err() + down.out() + down.err()).doesNotContain("secret-account-token");
        }
    }

    @Test
    void shouldExitZeroWhenEveryTargetAnswers() throws IOException {
        try (Simulator simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly())) {
            Path config = write("""
                    credentials:
                      dev:
                        type: token
                        token: anything
                    targets:
                      - service: opengauss
                        region: eu-de
                        project-id: p1
                        endpoint: %s
                        credentials: dev
                    """.formatted(simulator.endpoint(Service.OPENGAUSS)));

            CliRunner.Result result = cli.run("check", "--config", config.toString());

            assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(result.out()).contains("OK   opengauss/eu-de/p1").contains("All 1 targets OK.");
        }
    }

    @Test
    void shouldReportAnUnreachableTarget() throws IOException {
        Path config = write("""
                credentials:
                  dev:
                    type: token
                    token: anything
                targets:
                  - name: nowhere
                    service: dds
                    region: eu-de
                    project-id: p1
                    endpoint: http://127.0.0.1:1
                    credentials: dev
                """);

        CliRunner.Result result = cli.run("check", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(result.out()).contains("FAIL nowhere  [otc] http://127.0.0.1:1/v3/p1/jobs: unreachable: "
                + "Could not connect");
    }

    @Test
    void shouldNameTheOpsPortWhenItIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            Path config = write("http:\n  port: " + taken.getLocalPort() + "\n");

            CliRunner.Result result = cli.run("run", "--config", config.toString(), "--data-dir",
                    dir.resolve("data").toString());

            assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(result.err().strip()).isEqualTo("http.port: cannot listen on port " + taken.getLocalPort()
                    + " (already in use): set http.port (or TASKWATCH_HTTP_PORT) to a free port, or 0 to disable the "
                    + "ops server");
        }
    }

    @Test
    void shouldExitThreeWithOneLineWhenTheSchemaRegistryIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path config = write("""
                http:
                  port: 0
                kafka:
                  bootstrap-servers: 127.0.0.1:1
                schema-registry:
                  url: http://registry-user:registry-secret@127.0.0.1:%d
                credentials:
                  dev:
                    type: token
                    token: anything
                targets:
                  - name: nowhere
                    service: dds
                    region: eu-de
                    project-id: p1
                    endpoint: http://127.0.0.1:1
                    credentials: dev
                """.formatted(closedPort));
        Path data = dir.resolve("data");

        for (String command : List.of("poll", "transitions", "run")) {
            CliRunner.Result result = command.equals("run")
                    ? cli.run(command, "--config", config.toString(), "--data-dir", data.toString())
                    : cli.run(command, "--config", config.toString());

            assertThat(result.exitCode()).as(command).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(result.err().strip().lines()).as(command).singleElement().asString()
                    .startsWith("Couldn't connect to the schema registry")
                    .contains("127.0.0.1:" + closedPort).doesNotContain("registry-secret");
        }
        assertThat(data).as("run against a configured Kafka and registry keeps nothing in the data dir")
                .doesNotExist();
    }

    @Test
    void shouldRequireAConfigFileForCheck() {
        CliRunner.Result result = cli.run("check");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().strip()).isEqualTo("check needs a configuration file: --config FILE (or "
                + "TASKWATCH_CONFIG)");
    }

    @Test
    void shouldRejectAnInvalidSimulatorProbability() {
        CliRunner.Result result = cli.run("simulate", "--failure-probability", "1.5");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("failureProbability");
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "taskwatch", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
