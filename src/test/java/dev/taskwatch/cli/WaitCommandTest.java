package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WaitCommandTest {

    @Test
    void shouldRejectABadTimeoutNamingTheOption() {
        CliRunner.Result result = CliRunner.withoutEnvironment().run("wait", "--service", "dds", "--region", "eu-de",
                "--project", "p1", "--task-id", "t", "--bootstrap-servers", "localhost:1",
                "--schema-registry-url", "http://localhost:1", "--timeout", "soon");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--timeout: 'soon' is not a positive duration");
    }

    @Test
    void shouldRejectAnUnknownServiceNamingTheOption() {
        CliRunner.Result result = CliRunner.withoutEnvironment().run("wait", "--service", "mysql", "--region",
                "eu-de", "--project", "p1", "--task-id", "t", "--bootstrap-servers", "localhost:1",
                "--schema-registry-url", "http://localhost:1");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--service");
    }
}
