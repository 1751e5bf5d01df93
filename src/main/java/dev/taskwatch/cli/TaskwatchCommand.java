package dev.taskwatch.cli;

import dev.taskwatch.JdkHttpServers;
import dev.taskwatch.cli.FailureHandler.Failure;
import dev.taskwatch.config.ConfigException;
import dev.taskwatch.devkit.bench.BenchCommand;
import dev.taskwatch.poller.PollerException;
import dev.taskwatch.transitions.TransitionsFailedException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the taskwatch jar: the root command that dispatches to one class per subcommand. */
@Command(name = "taskwatch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        scope = CommandLine.ScopeType.INHERIT, // subcommands inherit --help, --version and the version provider
        description = "Turns polled cloud task-center APIs into exactly-once Kafka events.",
        subcommands = {RunCommand.class, PollCommand.class, TransitionsCommand.class, EventsCommand.class,
            WatchCommand.class, WaitCommand.class, NotifyCommand.class, SimulateCommand.class, CheckCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"",
            "Options also take their default from the environment: --bootstrap-servers from "
                    + "TASKWATCH_BOOTSTRAP_SERVERS, --config from TASKWATCH_CONFIG, and so on.",
            "Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error, 3 Kafka or schema registry "
                    + "unreachable, 130 interrupted."})
public final class TaskwatchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No command: print the usage (to stderr) and fail as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The configured command line with the process environment as option defaults. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /**
     * The configured command line: {@link FailureHandler} for exceptions (reach it with {@link #failureHandler} to
     * add mappings), environment defaults, case-insensitive enum values ({@code --format JSONL} or {@code jsonl}).
     */
    public static CommandLine commandLine(Map<String, String> environment) {
        CommandLine cmd = new CommandLine(new TaskwatchCommand());
        cmd.setExecutionExceptionHandler(new FailureHandler()
                .map(ConfigException.class, e -> Failure.usage(e.problems()))
                .map(TransitionsFailedException.class, e -> Failure.of(ExitCodes.RUNTIME_FAILURE, e.getMessage()))
                .map(PollerException.class, e -> Failure.of(ExitCodes.RUNTIME_FAILURE, e.getMessage())));
        cmd.setDefaultValueProvider(new EnvironmentDefaultProvider(environment));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    /** The handler installed by {@link #commandLine(Map)}, e.g. to {@code map(ConfigException.class, ...)}. */
    public static FailureHandler failureHandler(CommandLine commandLine) {
        return (FailureHandler) commandLine.getExecutionExceptionHandler();
    }

    public static void main(String[] args) {
        // Before any server exists: `run` creates the ops server before the simulator.
        JdkHttpServers.sendWithoutDelay();
        JdkHttpServers.limitRequestTime();
        // logback.xml refers to the appender named by TASKWATCH_LOGGING_FORMAT: a value it has no appender for
        // (`JSON`, a typo) would silence every log line until the config is read.
        LogFormat.apply(System.getenv("TASKWATCH_LOGGING_FORMAT"));
        System.exit(commandLine().execute(args));
    }
}
