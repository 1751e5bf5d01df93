package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import picocli.CommandLine;
import org.junit.jupiter.api.Test;

class SimulateTrailingBraceOptionTest {

    @Test
    void shouldPassTheTrailingBraceProbabilityToTheSimulatorFaults() {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs("--trailing-brace-probability", "0.25", "--port", "0");

        assertThat(command.settings().faults().trailingBraceProbability()).isEqualTo(0.25);
    }

    @Test
    void shouldDefaultToNoTrailingBraces() {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs("--port", "0");

        assertThat(command.settings().faults().trailingBraceProbability()).isZero();
    }
}
