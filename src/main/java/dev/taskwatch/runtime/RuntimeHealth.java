package dev.taskwatch.runtime;

import dev.taskwatch.poller.KafkaWatchRequests;
import dev.taskwatch.poller.Poller;
import dev.taskwatch.poller.TargetHealth;
import dev.taskwatch.runtime.TaskwatchRuntime.Role;
import dev.taskwatch.transitions.TransitionsApp;
import dev.taskwatch.transitions.TransitionsFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Readiness and fatal failure of a runtime's components, read from the components themselves (null while not started).
 * Readiness is what {@code /health/ready} answers; a failure ends the process.
 */
final class RuntimeHealth {

    private RuntimeHealth() {}

    /** Ready when Streams is RUNNING (transitions role) and every poller target has settled (poller role). */
    static Readiness readiness(Set<Role> roles, TransitionsApp transitions, Poller poller) {
        List<String> reasons = new ArrayList<>();
        if (roles.contains(Role.TRANSITIONS)) {
            if (transitions == null) {
                reasons.add("transitions not started yet");
            } else {
                reasons.addAll(ReadinessCheck.streamsRunning(transitions.streams()).check().reasons());
                transitions.trouble().ifPresent(reasons::add);
            }
        }
        if (roles.contains(Role.POLLER)) {
            if (poller == null) {
                reasons.add("poller not started yet");
            } else {
                for (TargetHealth h : poller.health()) {
                    if (!h.settled()) {
                        reasons.add("target " + h.target() + " has not finished its first poll cycle");
                    }
                }
                poller.failure().ifPresent(f -> reasons.add("poller stopped: " + f.getMessage()));
            }
        }
        return reasons.isEmpty() ? Readiness.up() : new Readiness(false, reasons);
    }

    /** The first fatal failure, if any: poller stopped, transitions failed, watch reader or printer died. */
    static Optional<RuntimeException> failure(Poller poller, TransitionsApp transitions,
            KafkaWatchRequests watchRequests, EventPrinter printer) {
        if (poller != null && poller.failure().isPresent()) {
            return Optional.of(poller.failure().get());
        }
        if (transitions != null) {
            if (transitions.failure().isPresent()) {
                Throwable f = transitions.failure().get();
                return Optional.of(new TransitionsFailedException("The transitions application failed: "
                        + f.getMessage(), f));
            }
            KafkaStreams.State state = transitions.state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                return Optional.of(new TransitionsFailedException("The transitions application stopped (state "
                        + state + ")", null));
            }
        }
        if (watchRequests != null && watchRequests.failure() != null) {
            return Optional.of(new IllegalStateException("Reading watch requests failed: "
                    + watchRequests.failure().getMessage(), watchRequests.failure()));
        }
        if (printer != null && printer.failure().isPresent()) {
            Throwable f = printer.failure().get();
            return Optional.of(new IllegalStateException("The event printer failed: " + f.getMessage(), f));
        }
        return Optional.empty();
    }
}
