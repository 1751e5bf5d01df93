package dev.taskwatch.cli;

import dev.taskwatch.runtime.EventFormat;
import dev.taskwatch.runtime.TaskwatchRuntime.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskwatch transitions}: the Kafka Streams role alone, for a separate deployment. */
@Command(name = "transitions", mixinStandardHelpOptions = true,
        description = {"Runs the transitions alone: turns task snapshots into exactly-once task events.",
            "Needs kafka.bootstrap-servers and schema-registry.url (nothing is embedded). Stop with SIGTERM."})
public final class TransitionsCommand extends RoleCommand {

    @Option(names = "--print-events", paramLabel = "text|jsonl|none", defaultValue = "none",
            description = "Also print the emitted events on stdout (default: ${DEFAULT-VALUE}).")
    PrintEvents printEvents;

    public TransitionsCommand() {
        super(Role.TRANSITIONS);
    }

    @Override
    EventFormat printEvents() {
        return printEvents.format();
    }
}
