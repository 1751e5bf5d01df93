package dev.taskwatch.cli;

import dev.taskwatch.config.ConfigException;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.runtime.TaskwatchRuntime;
import dev.taskwatch.runtime.TaskwatchRuntime.Options;
import dev.taskwatch.runtime.TaskwatchRuntime.Role;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code taskwatch notify}: the webhook notifier alone, for a separate deployment. */
@Command(name = "notify", mixinStandardHelpOptions = true,
        description = {"Runs notify alone: sends task events to webhooks by the rules of notify.rules.",
            "Needs kafka.bootstrap-servers and schema-registry.url (nothing is embedded). Stop with SIGTERM."})
public final class NotifyCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TaskwatchConfig config = ConfigFiles.load(common, spec);
        if (config.notifications().rules().isEmpty()) {
            throw new ConfigException(List.of("notify.rules: no rules configured; `taskwatch notify` has nothing to "
                    + "send (see docs/consumers.md)"));
        }
        RoleRequirements.requireShared(config, "notify", false);
        return RuntimeRunner.runUntilStopped(TaskwatchRuntime.configured(config,
                new Options(Set.of(Role.NOTIFY), null, System.out, System.err)));
    }
}
