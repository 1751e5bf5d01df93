package dev.taskwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the taskwatch jar: the root command that dispatches to one class per subcommand. */
@Command(name = "taskwatch", mixinStandardHelpOptions = true,
        description = "Turns polled cloud task-center APIs into exactly-once Kafka events.")
public final class TaskwatchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TaskwatchCommand()).execute(args));
    }
}
