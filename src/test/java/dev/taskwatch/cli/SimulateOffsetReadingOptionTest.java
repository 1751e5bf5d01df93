package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.taskcenter.OffsetReading;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateOffsetReadingOptionTest {

    @Test
    void shouldServeOpenGaussPagesByPageNumberWithOffsetReadingPages() {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs("--offset-reading", "pages", "--port", "0");

        assertThat(command.settings().offsetReading()).isEqualTo(OffsetReading.PAGES);
    }

    @Test
    void shouldReadOffsetsAsItemsByDefaultAndRefuseAnUnknownReading() {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs("--port", "0");
        assertThat(command.settings().offsetReading()).isEqualTo(OffsetReading.ITEMS);

        SimulateCommand wrong = new SimulateCommand();
        new CommandLine(wrong).parseArgs("--offset-reading", "bytes", "--port", "0");
        assertThatThrownBy(wrong::settings).isInstanceOf(UserInputException.class)
                .hasMessageContaining("--offset-reading must be items or pages");
    }
}
