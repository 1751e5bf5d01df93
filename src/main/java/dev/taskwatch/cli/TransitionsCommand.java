package dev.taskwatch.cli;

import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.runtime.TaskwatchRuntime;
import dev.taskwatch.runtime.TaskwatchRuntime.Options;
import dev.taskwatch.runtime.TaskwatchRuntime.Role;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code taskwatch transitions}: the Kafka Streams role alone, for a separate deployment. */
@Command(name = "transitions", mixinStandardHelpOptions = true,
        description = {"Runs the transitions alone: turns task snapshots into exactly-once task events.",
            "Needs kafka.bootstrap-servers and schema-registry.url (nothing is embedded). Stop with SIGTERM."})
public final class TransitionsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--print-events", paramLabel = "text|jsonl|none", defaultValue = "none",
            description = "Also print the emitted events on stdout (default: ${DEFAULT-VALUE}).")
    PrintEvents printEvents;

    @Override
    public Integer call() throws Exception {
        TaskwatchConfig config = ConfigFiles.load(common, spec);
        RoleRequirements.requireShared(config, "transitions", false);
        return RuntimeRunner.runUntilStopped(TaskwatchRuntime.configured(config,
                new Options(Set.of(Role.TRANSITIONS), printEvents.format(), System.out, System.err)));
    }
}
