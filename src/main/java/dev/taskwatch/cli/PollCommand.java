package dev.taskwatch.cli;

import dev.taskwatch.runtime.TaskwatchRuntime.Role;
import picocli.CommandLine.Command;

/** {@code taskwatch poll}: the poller role alone, for a separate deployment. */
@Command(name = "poll", mixinStandardHelpOptions = true,
        description = {"Runs the poller alone: polls the configured targets and publishes task snapshots.",
            "Needs kafka.bootstrap-servers, schema-registry.url and targets (nothing is embedded). Stop with SIGTERM."})
public final class PollCommand extends RoleCommand {

    public PollCommand() {
        super(Role.POLLER);
    }
}
