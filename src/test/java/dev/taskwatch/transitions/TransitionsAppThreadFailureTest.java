package dev.taskwatch.transitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.serde.IncompatibleSchemaException;
import dev.taskwatch.serde.SchemaRegistryUnavailableException;
import dev.taskwatch.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the transitions application does with an exception that ended a stream thread (never started: no broker). */
class TransitionsAppThreadFailureTest {

    @TempDir
    Path stateDir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final List<Duration> sleeps = new ArrayList<>();
    private TransitionsApp app;

    @AfterEach
    void close() {
        if (app != null) {
            app.close(Duration.ofSeconds(5));
        }
    }

    private TransitionsApp app() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "thread-failure-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Topology topology = new Topology();
        topology.addSource("in", "in");
        topology.addProcessor("p", () -> new Processor<Object, Object, Object, Object>() {
            @Override
            public void process(Record<Object, Object> record) {
                // never runs: the application is not started
            }
        }, "in");
        app = new TransitionsApp(props, topology, new RegistryFaultWait(null, clock, d -> {
            sleeps.add(d);
            clock.advance(d);
        }));
        return app;
    }

    private static StreamsException serializing(RuntimeException cause) {
        return new StreamsException("Exception caught in process", new StreamsException(
                "Unable to serialize record", cause));
    }

    @Test
    void anUnreachableRegistryReplacesTheThreadAfterTheWaitAndIsNoFailure() {
        TransitionsApp app = app();

        StreamThreadExceptionResponse response = app.onThreadFailure(serializing(
                new SchemaRegistryUnavailableException("Schema registry unavailable: cannot register", null)));

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(app.failure()).isEmpty();
        assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).as("waited before the replacement")
                .isEqualTo(RegistryFaultWait.MAX_WAIT);
        assertThat(app.trouble()).hasValueSatisfying(t -> assertThat(t)
                .contains("waiting for the schema registry").contains("cannot register"));
    }

    @Test
    void aRefusedSchemaIsALastingStateNotACrash() {
        TransitionsApp app = app();

        StreamThreadExceptionResponse response = app.onThreadFailure(serializing(
                new IncompatibleSchemaException("t-value", "field 'x' removed")));

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(app.failure()).isEmpty();
        assertThat(app.trouble()).hasValueSatisfying(t -> assertThat(t).contains("field 'x' removed"));
    }

    @Test
    void anyOtherFailureShutsTheClientDownAndIsKept() {
        TransitionsApp app = app();
        StreamsException bug = serializing(new SerializationException("Cannot serialize: a bug"));

        assertThat(app.onThreadFailure(bug)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(app.failure()).containsSame(bug);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aRegistryFaultWhileClosingDoesNotWaitOrReplace() {
        TransitionsApp app = app();
        app.close(Duration.ofSeconds(5));

        StreamThreadExceptionResponse response = app.onThreadFailure(serializing(
                new SchemaRegistryUnavailableException("down", null)));

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(sleeps).isEmpty();
    }
}
