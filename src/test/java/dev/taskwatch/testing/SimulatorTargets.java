package dev.taskwatch.testing;

import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.taskcenter.Service;
import java.util.List;

/**
 * The {@code targets:} entries of a taskwatch config that polls a {@link Simulator}, one per service: region eu-de,
 * the credential named {@code sim}, polled every 300 ms (quick enough for a test to see each stage of a task) and
 * looking back a day (so that a restart finds the tasks it already saw).
 */
public final class SimulatorTargets {

    private SimulatorTargets() {
    }

    /** The entries, each line indented for a {@code targets:} key at the top level. */
    public static String yaml(Simulator simulator, String projectId, List<Service> services) {
        StringBuilder yaml = new StringBuilder();
        for (Service service : services) {
            yaml.append("""
                      - service: %s
                        region: eu-de
                        project-id: %s
                        endpoint: %s
                        credentials: sim
                        interval: 300ms
                        active-interval: 300ms
                        lookback: 1d
                    """.formatted(service.id(), projectId, simulator.endpoint(service)));
        }
        return yaml.toString();
    }
}
