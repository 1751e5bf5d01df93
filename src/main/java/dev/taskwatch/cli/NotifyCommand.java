package dev.taskwatch.cli;

import dev.taskwatch.config.ConfigException;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.runtime.TaskwatchRuntime.Role;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code taskwatch notify}: the webhook notifier alone, for a separate deployment. */
@Command(name = "notify", mixinStandardHelpOptions = true,
        description = {"Runs notify alone: sends task events to webhooks by the rules of notify.rules.",
            "Needs kafka.bootstrap-servers and schema-registry.url (nothing is embedded). Stop with SIGTERM."})
public final class NotifyCommand extends RoleCommand {

    public NotifyCommand() {
        super(Role.NOTIFY);
    }

    @Override
    void check(TaskwatchConfig config) {
        if (config.notifications().rules().isEmpty()) {
            throw new ConfigException(List.of("notify.rules: no rules configured; `taskwatch notify` has nothing to "
                    + "send (see docs/consumers.md)"));
        }
    }
}
