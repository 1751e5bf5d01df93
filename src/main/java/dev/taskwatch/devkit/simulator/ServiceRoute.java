package dev.taskwatch.devkit.simulator;

import dev.taskwatch.taskcenter.Service;
import java.util.regex.Pattern;

/**
 * Where a simulated task-center API is served: the raw request paths it answers (group 1 the project id, further
 * groups for the API to read).
 */
record ServiceRoute(Service service, Pattern path, SimulatedService api) {

    static ServiceRoute of(Service service, String path, SimulatedService api) {
        return new ServiceRoute(service, Pattern.compile(path), api);
    }
}
