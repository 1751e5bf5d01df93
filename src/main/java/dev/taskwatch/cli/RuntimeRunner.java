package dev.taskwatch.cli;

import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.runtime.EventFormat;
import dev.taskwatch.runtime.TaskwatchRuntime;
import dev.taskwatch.runtime.TaskwatchRuntime.Options;
import dev.taskwatch.runtime.TaskwatchRuntime.Role;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a {@link TaskwatchRuntime} until SIGTERM / Ctrl-C (a shutdown hook closes it, in order and bounded) or until a
 * component fails (then it is closed and the failure is thrown: exit 1 with its message). Shared by {@code run},
 * {@code poll}, {@code transitions} and {@code notify}.
 */
final class RuntimeRunner {

    private RuntimeRunner() {}

    /**
     * One role alone, as a separate deployment runs it: Kafka, registry and targets exactly as configured.
     *
     * @param printEvents how emitted events are also printed on stdout, or null for not at all
     */
    static int runRole(TaskwatchConfig config, Role role, EventFormat printEvents) throws Exception {
        return runUntilStopped(TaskwatchRuntime.configured(config, new Options(Set.of(role), printEvents, System.out,
                System.err)));
    }

    static int runUntilStopped(TaskwatchRuntime runtime) throws Exception {
        Thread hook = new Thread(runtime::close, "taskwatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runtime.start();
            Optional<RuntimeException> failure = runtime.awaitStop();
            if (failure.isPresent()) {
                runtime.close();
                throw failure.get();
            }
            return ExitCodes.OK;
        } finally {
            runtime.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running (or ran) close()
            }
        }
    }
}
