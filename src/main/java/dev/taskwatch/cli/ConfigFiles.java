package dev.taskwatch.cli;

import dev.taskwatch.config.ConfigLoader;
import dev.taskwatch.config.TaskwatchConfig;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** Loads the configuration of a command: the {@code --config} file, else the defaults plus environment overrides. */
final class ConfigFiles {

    private ConfigFiles() {}

    /**
     * With the environment the command line was built with ({@link TaskwatchCommand#commandLine(Map)}).
     *
     * @throws dev.taskwatch.config.ConfigException (exit 2, one line per problem)
     */
    static TaskwatchConfig load(CommonOptions common, CommandSpec spec) {
        return load(common, environment(spec));
    }

    static TaskwatchConfig load(CommonOptions common, Map<String, String> env) {
        TaskwatchConfig config = common.config().map(file -> ConfigLoader.load(file, env)).orElseGet(() ->
                ConfigLoader.fromEnvironment(env));
        // Every command reads its config here: from now on the log lines have the configured format.
        LogFormat.apply(config.logging().format());
        return config;
    }

    static Map<String, String> environment(CommandSpec spec) {
        return spec.root().commandLine().getDefaultValueProvider() instanceof EnvironmentDefaultProvider p
                ? p.environment() : System.getenv();
    }
}
