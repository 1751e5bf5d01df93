package dev.taskwatch.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;

/** The options of every command that reads the configuration file: {@code --config FILE} and {@code --verbose}. */
public final class CommonOptions {

    @Mixin
    ConfigOption configOption;

    @Mixin
    VerboseOption verboseOption;

    public Optional<Path> config() {
        return configOption.config();
    }

    public boolean verbose() {
        return verboseOption.verbose();
    }
}
