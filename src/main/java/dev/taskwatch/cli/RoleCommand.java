package dev.taskwatch.cli;

import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.runtime.EventFormat;
import dev.taskwatch.runtime.TaskwatchRuntime.Role;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * The base of the commands that run one role alone, as a separate deployment ({@code poll}, {@code transitions},
 * {@code notify}): read the configuration, check what the role needs ({@link RoleRequirements}: nothing may be
 * embedded), run it until stopped. Picocli reads the options of this class's fields in every subclass.
 */
abstract class RoleCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    private final Role role;

    RoleCommand(Role role) {
        this.role = role;
    }

    /** A check of the role's own, before the shared ones; none by default. */
    void check(TaskwatchConfig config) {}

    /** How emitted events are also printed on stdout; null (the default) for not at all. */
    EventFormat printEvents() {
        return null;
    }

    @Override
    public final Integer call() throws Exception {
        TaskwatchConfig config = common.load();
        check(config);
        // only the poller reads targets; the others need the shared Kafka and registry alone
        RoleRequirements.requireShared(config, common.commandName(), role == Role.POLLER);
        return RuntimeRunner.runRole(config, role, printEvents());
    }
}
