package dev.taskwatch.runtime;

import java.util.List;

/**
 * Whether the process is ready, and if not, why: one line per reason, each naming the component (a poller target,
 * Kafka Streams) and what it is waiting for.
 */
public record Readiness(boolean ready, List<String> reasons) {

    public Readiness {
        reasons = List.copyOf(reasons);
    }

    public static Readiness up() {
        return new Readiness(true, List.of());
    }

    public static Readiness down(String reason) {
        return new Readiness(false, List.of(reason));
    }
}
