package dev.taskwatch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's failure paths (its success path is every *IT that uses it). */
class ApicurioRegistryTest {

    @Test
    void shouldExplainAMissingDistribution(@TempDir Path dir) {
        assertThat(catchThrowable(() -> ApicurioRegistry.start(dir.resolve("nothing-here"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nothing-here")
                .hasMessageContaining("does not exist").hasMessageContaining("mvn verify");
    }

    @Test
    void shouldExplainADirectoryWithoutTheRunnerJar(@TempDir Path dir) {
        assertThat(catchThrowable(() -> ApicurioRegistry.start(dir)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("No *-runner.jar");
    }

    @Test
    void shouldReportAProcessThatDiesWithTheTailOfItsLog(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken-runner.jar"), "not a jar");

        Throwable t = catchThrowable(() -> ApicurioRegistry.start(dir));

        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("exited with code")
                .hasMessageContaining("before it was ready").hasMessageContaining("jarfile"); // java's own complaint
    }
}
