package dev.taskwatch.connect;

import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.SimulatedTaskCenter;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.model.Topics;
import dev.taskwatch.taskcenter.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The targets of a connector under faults, on the simulator: their places (service, project, paying credential), the
 * connector configuration that polls them, and each one's finished history, which a first start backfills.
 */
final class PolledPlaces {

    private static final List<Service> SERVICES = List.of(Service.DDS, Service.GEMINIDB, Service.OPENGAUSS);

    /** One target of the connector: its name, where it polls, and which credential pays. */
    record PolledPlace(String name, Service service, String projectId, String credential) {}

    private PolledPlaces() {}

    /** {@code count} targets over three services, the credentials paying for consecutive equal shares of them. */
    static List<PolledPlace> places(int count, List<String> credentials) {
        List<PolledPlace> places = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            places.add(new PolledPlace(String.format("t%02d", i), SERVICES.get(i % SERVICES.size()),
                    String.format("%032x", 0xb0b0L + i), credentials.get(i * credentials.size() / count)));
        }
        return places;
    }

    /**
     * {@code perTarget} tasks finished six days ago on every place (within the default 7-day lookback: what a first
     * start reads, and backfills as one COMPLETED each).
     */
    static List<SimTask> history(SimulatedTaskCenter tasks, ShiftedClock clock, List<PolledPlace> places,
            int perTarget) {
        List<SimTask> history = new ArrayList<>();
        clock.shift = Duration.ofDays(-6);
        try {
            for (PolledPlace place : places) {
                for (int i = 0; i < perTarget; i++) {
                    history.add(tasks.complete(tasks.createTask(place.service(), place.projectId(), "Backup" + i)
                            .id()));
                }
            }
        } finally {
            clock.shift = Duration.ZERO;
        }
        return history;
    }

    /**
     * The connector polling {@code places} on the simulator with {@code tokens} (credential name to token), each at
     * {@code rate} requests per second: a target every 10 s, every 2 s while it has running tasks.
     */
    static Map<String, String> connectorConfig(Topics topics, Simulator simulator, String registryUrl,
            String bootstrap, int tasksMax, Map<String, String> tokens, int rate, List<PolledPlace> places) {
        Map<String, String> config = ConnectTestCluster.connectorConfig(topics, registryUrl, bootstrap, tasksMax);
        tokens.forEach((name, token) -> {
            config.put("credentials." + name + ".type", "token");
            config.put("credentials." + name + ".token", token);
            config.put("credentials." + name + ".requests-per-second", String.valueOf(rate));
        });
        for (int i = 0; i < places.size(); i++) {
            PolledPlace place = places.get(i);
            String prefix = "targets[" + i + "].";
            config.put(prefix + "name", place.name());
            config.put(prefix + "service", place.service().id());
            config.put(prefix + "region", "eu-de");
            config.put(prefix + "project-id", place.projectId());
            config.put(prefix + "endpoint", simulator.endpoint(place.service()).toString());
            config.put(prefix + "credentials", place.credential());
            config.put(prefix + "interval", "10s");
            config.put(prefix + "active-interval", "2s");
        }
        return config;
    }
}
