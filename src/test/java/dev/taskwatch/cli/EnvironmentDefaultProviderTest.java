package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class EnvironmentDefaultProviderTest {

    @Command(name = "probe", mixinStandardHelpOptions = true)
    static final class Probe implements Runnable {
        @Mixin
        CommonOptions common;

        @Mixin
        KafkaOptions kafka;

        @Option(names = "--max-events")
        int maxEvents = 10;

        @Override
        public void run() {}
    }

    @Test
    void shouldNameTheVariableAfterTheLongestOptionName() {
        CommandLine cmd = new CommandLine(new Probe());

        assertThat(EnvironmentDefaultProvider.variableFor(cmd.getCommandSpec().findOption("--config")))
                .isEqualTo("TASKWATCH_CONFIG");
        assertThat(EnvironmentDefaultProvider.variableFor(cmd.getCommandSpec().findOption("--bootstrap-servers")))
                .isEqualTo("TASKWATCH_BOOTSTRAP_SERVERS");
    }

    @Test
    void shouldUseTheEnvironmentWhenTheOptionIsNotGiven() {
        Probe probe = new Probe();
        CommandLine cmd = new CommandLine(probe);
        cmd.setDefaultValueProvider(new EnvironmentDefaultProvider(Map.of("TASKWATCH_CONFIG", "/etc/tw.yaml",
                "TASKWATCH_MAX_EVENTS", "3", "TASKWATCH_TOPIC_PREFIX", "team-a.taskwatch.",
                "TASKWATCH_VERBOSE", "true")));

        cmd.parseArgs();

        assertThat(probe.common.config()).contains(Path.of("/etc/tw.yaml"));
        assertThat(probe.maxEvents).isEqualTo(3);
        assertThat(probe.kafka.topics().events()).isEqualTo("team-a.taskwatch.task-events");
        assertThat(probe.common.verbose()).isTrue();
    }

    @Test
    void shouldLetTheCommandLineWinOverTheEnvironment() {
        Probe probe = new Probe();
        CommandLine cmd = new CommandLine(probe);
        cmd.setDefaultValueProvider(new EnvironmentDefaultProvider(Map.of("TASKWATCH_CONFIG", "/etc/tw.yaml")));

        cmd.parseArgs("--config", "mine.yaml");

        assertThat(probe.common.config()).contains(Path.of("mine.yaml"));
    }

    @Test
    void shouldFallBackToTheAnnotatedDefaultWithoutAVariable() {
        Probe probe = new Probe();
        CommandLine cmd = new CommandLine(probe);
        cmd.setDefaultValueProvider(new EnvironmentDefaultProvider(Map.of("TASKWATCH_TOPIC_PREFIX", " ")));

        cmd.parseArgs();

        assertThat(probe.kafka.topics().events()).isEqualTo("taskwatch.task-events");
        assertThat(probe.common.config()).isEmpty();
    }
}
