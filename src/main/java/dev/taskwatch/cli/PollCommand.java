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

/** {@code taskwatch poll}: the poller role alone, for a separate deployment. */
@Command(name = "poll", mixinStandardHelpOptions = true,
        description = {"Runs the poller alone: polls the configured targets and publishes task snapshots.",
            "Needs kafka.bootstrap-servers, schema-registry.url and targets (nothing is embedded). Stop with SIGTERM."})
public final class PollCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TaskwatchConfig config = ConfigFiles.load(common, spec);
        RoleRequirements.requireShared(config, "poll", true);
        return RuntimeRunner.runUntilStopped(TaskwatchRuntime.configured(config, new Options(Set.of(Role.POLLER),
                null, System.out, System.err)));
    }
}
