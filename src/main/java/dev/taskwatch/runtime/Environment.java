package dev.taskwatch.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import dev.taskwatch.model.Topics;
import dev.taskwatch.assembly.TaskSources;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import kong.unirest.core.UnirestInstance;

/**
 * What a {@link TaskwatchRuntime} runs against: the Kafka cluster, the schema registry and the task centers to poll.
 * In production all three come from the configuration ({@link ConfiguredEnvironment}); {@code taskwatch run} may stand
 * in an embedded broker, an in-process registry and a simulator for what is not configured (the embedded environment
 * of {@code dev.taskwatch.devkit.embedded}). The runtime calls {@link #start} first and {@link #close} last.
 */
public interface Environment extends AutoCloseable {

    /** Starts what the environment runs itself, adding a line per component to {@code banner}. */
    void start(List<String> banner) throws InterruptedException;

    /** {@code bootstrap.servers} of the Kafka cluster. */
    String bootstrapServers();

    /** The {@code AvroSerdeConfig} of every serde of the process, sharing one registry client. */
    Map<String, Object> serdeConfig();

    /** The targets of the poller role, adding a line per source to {@code banner}. */
    TaskSources taskSources(UnirestInstance http, Clock clock, List<String> banner, MeterRegistry registry);

    /** Streams state directory when {@code transitions.state-dir} is not set, or null for Kafka Streams' default. */
    Path defaultStateDir();

    /** Called once the poller publishes (the embedded environment starts its simulator's watch requests here). */
    default void pollerStarted(Map<String, Object> kafkaClient, Topics topics) {}

    /** Stops what {@link #start} started; called after every component of the runtime has stopped. */
    @Override
    void close();
}
