package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TaskwatchCommandTest {

    private final CliRunner cli = CliRunner.withoutEnvironment();

    @Test
    void shouldPrintUsageToStderrAndExitTwoWithoutACommand() {
        CliRunner.Result result = cli.run();

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("Usage: taskwatch").contains("events").contains("watch");
        assertThat(result.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "events", "watch"})
    void shouldPrintHelpAndExitZero(String command) {
        CliRunner.Result result = command.isEmpty() ? cli.run("--help") : cli.run(command, "--help");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("Usage: taskwatch" + (command.isEmpty() ? "" : " " + command));
    }

    @Test
    void shouldHaveHelpOnEverySubcommand() {
        CommandLine root = TaskwatchCommand.commandLine(Map.of());
        root.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                CliRunner.Result result = cli.run(name, "--help");
                assertThat(result.exitCode()).as(name).isEqualTo(ExitCodes.OK);
                assertThat(result.out()).as(name).contains("Usage: taskwatch " + name);
            }
        });
    }

    @Test
    void shouldPrintTheVersionOfTaskwatchKafkaAndJava() {
        CliRunner.Result result = cli.run("--version");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("taskwatch ").contains("Kafka clients 4.").contains("Java ");
    }

    @Test
    void shouldPrintTheVersionFromEverySubcommand() {
        CliRunner.Result result = cli.run("watch", "--version");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).startsWith("taskwatch ");
    }

    @Test
    void shouldExitTwoOnAnUnknownCommandOrOption() {
        assertThat(cli.run("frobnicate").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("events", "--colour").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("events", "--format", "xml").err()).contains("--format");
    }

    @Test
    void shouldExitTwoWhenEventsHasNoKafka() {
        CliRunner.Result result = cli.run("events");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("No Kafka cluster given: pass --bootstrap-servers")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void shouldRejectAnUnknownServiceBeforeConnecting() {
        CliRunner.Result result = cli.run("watch", "--service", "mysql", "--region", "eu-de", "--project", "p",
                "--task-id", "t", "--bootstrap-servers", "localhost:1", "--schema-registry-url", "http://127.0.0.1:1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().strip()).isEqualTo(
                "--service: Unknown service 'mysql', expected one of geminidb, opengauss, dds, taurusdb, rds");
    }

    @Test
    void shouldRejectAnEndpointThatIsNotAnHttpUrl() {
        CliRunner.Result result = cli.run("watch", "--service", "dds", "--region", "eu-de", "--project", "p",
                "--task-id", "t", "--endpoint", "dds.eu-de.example", "--bootstrap-servers", "localhost:1",
                "--schema-registry-url", "http://127.0.0.1:1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--endpoint: 'dds.eu-de.example' is not an http(s) URL with a host");
    }

    @Test
    void shouldExitTwoWhenARequiredWatchOptionIsMissing() {
        CliRunner.Result result = cli.run("watch", "--service", "dds", "--region", "eu-de");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("Missing required options").contains("--project").contains("--task-id");
    }

    @Test
    void shouldTakeOptionDefaultsFromTheEnvironment() {
        CliRunner withEnv = new CliRunner(Map.of("TASKWATCH_SCHEMA_REGISTRY_URL", "http://registry-from-env:8081"));

        // The bootstrap servers are still missing: the message proves the registry came from the environment.
        CliRunner.Result result = withEnv.run("watch", "--service", "dds", "--region", "eu-de", "--project", "p",
                "--task-id", "t");

        assertThat(result.err()).contains("No Kafka cluster given");
        assertThat(cli.run("watch", "--service", "dds", "--region", "eu-de", "--project", "p", "--task-id", "t")
                .err()).contains("No schema registry given");
    }
}
