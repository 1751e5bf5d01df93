package dev.taskwatch.cli;

import dev.taskwatch.config.TaskwatchConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The options of every command that reads the configuration file ({@code --config FILE} and {@code --verbose}), and
 * what such a command does with them: load the configuration, print to the command line's streams. Holds the spec of
 * the command it is mixed into, so that the commands need no spec of their own for that.
 */
public final class CommonOptions {

    @Mixin
    ConfigOption configOption;

    @Mixin
    VerboseOption verboseOption;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    public Optional<Path> config() {
        return configOption.config();
    }

    public boolean verbose() {
        return verboseOption.verbose();
    }

    /**
     * The configuration ({@link ConfigFiles#load(CommonOptions, CommandSpec)}).
     *
     * @throws dev.taskwatch.config.ConfigException (exit 2, one line per problem)
     */
    TaskwatchConfig load() {
        return ConfigFiles.load(this, spec);
    }

    /** The name of the command, as messages quote it ({@code taskwatch <name>}). */
    String commandName() {
        return spec.name();
    }

    /** The command line's standard output (tests capture it). */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The command line's standard error (tests capture it). */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
