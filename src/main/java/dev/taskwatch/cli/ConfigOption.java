package dev.taskwatch.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --config FILE} (default from {@code TASKWATCH_CONFIG}): the YAML configuration file. */
public final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration file (env TASKWATCH_CONFIG).")
    Path config;

    /** The configuration file, when one was given. */
    public Optional<Path> config() {
        return Optional.ofNullable(config);
    }
}
