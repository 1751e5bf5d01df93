package dev.taskwatch.runtime;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/** Answers {@code /health/ready}. Called on the ops server's thread: keep it cheap and non-blocking. */
@FunctionalInterface
public interface ReadinessCheck {

    Readiness check();

    /** Ready when every check is; the reasons of all that are not. */
    static ReadinessCheck all(List<ReadinessCheck> checks) {
        List<ReadinessCheck> copy = List.copyOf(checks);
        return () -> {
            List<String> reasons = new ArrayList<>();
            for (ReadinessCheck c : copy) {
                reasons.addAll(c.check().reasons());
            }
            return reasons.isEmpty() ? Readiness.up() : new Readiness(false, reasons);
        };
    }

    /** Ready while the Streams instance is RUNNING; the reason names its state otherwise. */
    static ReadinessCheck streamsRunning(KafkaStreams streams) {
        return () -> {
            KafkaStreams.State state = streams.state();
            return state == KafkaStreams.State.RUNNING ? Readiness.up()
                    : Readiness.down("Kafka Streams is " + state);
        };
    }
}
