package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseToStartWithoutRulesNamingTheKey() throws Exception {
        Path config = Files.writeString(dir.resolve("taskwatch.yaml"), """
                kafka:
                  bootstrap-servers: localhost:1
                schema-registry:
                  url: http://localhost:1
                """);
        CliRunner.Result result = CliRunner.withoutEnvironment().run("notify", "--config", config.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("notify.rules: no rules configured");
    }

    @Test
    void shouldRequireAnExternalBrokerNamingTheKey() throws Exception {
        Path config = Files.writeString(dir.resolve("taskwatch.yaml"), """
                notify:
                  rules:
                    - name: ops
                      webhook:
                        url: http://localhost:1/hook
                """);
        CliRunner.Result result = CliRunner.withoutEnvironment().run("notify", "--config", config.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("kafka.bootstrap-servers: required by `taskwatch notify`");
    }
}
