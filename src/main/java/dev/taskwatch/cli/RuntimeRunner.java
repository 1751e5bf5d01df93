package dev.taskwatch.cli;

import dev.taskwatch.runtime.TaskwatchRuntime;
import java.util.Optional;

/**
 * Runs a {@link TaskwatchRuntime} until SIGTERM / Ctrl-C (a shutdown hook closes it, in order and bounded) or until a
 * component fails (then it is closed and the failure is thrown: exit 1 with its message). Shared by {@code run},
 * {@code poll} and {@code transitions}.
 */
final class RuntimeRunner {

    private RuntimeRunner() {}

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
