package dev.taskwatch.devkit.embedded;

import io.micrometer.core.instrument.MeterRegistry;
import dev.taskwatch.model.Topics;
import dev.taskwatch.assembly.PollerAssembly;
import dev.taskwatch.assembly.TaskSources;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.runtime.ConfiguredEnvironment;
import dev.taskwatch.runtime.Environment;
import dev.taskwatch.runtime.ShutdownSteps;
import dev.taskwatch.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import kong.unirest.core.UnirestInstance;

/**
 * The environment of {@code taskwatch run}: what is configured is used as configured; what is not is stood in for
 * by the dev kit, kept in the data directory so that a restart resumes where it stopped: an embedded broker for
 * {@code kafka.bootstrap-servers} (its address written to {@value EmbeddedDataDir#BOOTSTRAP_FILE} for {@code events}
 * and {@code watch}), an in-process registry with a journal for {@code schema-registry.url}, the built-in simulator for
 * {@code targets}. The data directory is created only when something is kept in it.
 */
public final class EmbeddedEnvironment implements Environment {

    private final TaskwatchConfig config;
    private final Path dataDir;
    private final long simulatorSeed;
    private final Clock clock;

    private volatile EmbeddedKafka kafka;
    private volatile SimulatedTaskSource simulator;
    private String bootstrapServers;
    private Map<String, Object> serdeConfig;

    /**
     * @param dataDir       where the embedded broker, registry journal and (by default) Streams state live
     * @param simulatorSeed seed of the built-in simulator's random schedule
     */
    public EmbeddedEnvironment(TaskwatchConfig config, Path dataDir, long simulatorSeed, Clock clock) {
        this.config = config;
        this.dataDir = dataDir;
        this.simulatorSeed = simulatorSeed;
        this.clock = clock;
    }

    @Override
    public void start(List<String> banner) {
        if (config.kafkaConfigured()) {
            bootstrapServers = config.kafka().bootstrapServers();
            banner.add(ConfiguredEnvironment.kafkaBanner(bootstrapServers));
        } else {
            Path kafkaDir = dataDir.resolve(EmbeddedDataDir.KAFKA);
            BrokerHalt.install(kafkaDir);
            kafka = EmbeddedKafka.start(kafkaDir);
            bootstrapServers = kafka.bootstrapServers();
            write(dataDir.resolve(EmbeddedDataDir.BOOTSTRAP_FILE), bootstrapServers + "\n");
            banner.add("Kafka:           embedded broker at " + bootstrapServers + " (data in " + kafkaDir + ")");
        }
        if (config.schemaRegistryConfigured()) {
            serdeConfig = ConfiguredEnvironment.configuredSerdeConfig(config);
            banner.add(ConfiguredEnvironment.registryBanner(config));
        } else {
            Path journal = dataDir.resolve(EmbeddedDataDir.SCHEMA_JOURNAL);
            createDataDir();
            InProcessSchemaRegistry registry = InProcessSchemaRegistry.persistent(journal);
            EmbeddedSchemas.registerAll(registry, config.topics().names());
            serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, registry);
            banner.add("Schema registry: in-process (ids kept in " + journal + ")");
        }
        if (!config.targetsConfigured()) {
            createDataDir();
            simulator = SimulatedTaskSource.start(simulatorSeed, clock, dataDir.resolve(EmbeddedDataDir.SIMULATOR_EPOCH),
                    dataDir.resolve(EmbeddedDataDir.SIMULATOR_PORT));
        }
        if (Files.isDirectory(dataDir)) {
            banner.add("Data dir:        " + dataDir.toAbsolutePath().normalize());
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public Map<String, Object> serdeConfig() {
        return serdeConfig;
    }

    @Override
    public TaskSources taskSources(UnirestInstance http, Clock clock, List<String> banner,
            MeterRegistry registry) {
        SimulatedTaskSource s = simulator;
        return s == null ? PollerAssembly.configuredTaskSources(config, http, clock, registry)
                : s.taskSources(http, banner);
    }

    /** Streams state in the data directory: a restarted {@code run} finds its state stores there. */
    @Override
    public Path defaultStateDir() {
        return dataDir.resolve(EmbeddedDataDir.STREAMS);
    }

    @Override
    public void pollerStarted(Map<String, Object> kafkaClient, Topics topics) {
        SimulatedTaskSource s = simulator;
        if (s != null) {
            s.publishWatchRequests(kafkaClient, serdeConfig, topics);
        }
    }

    /** Simulator first (it feeds the broker), the broker last; the bootstrap file goes with the broker. */
    @Override
    public void close() {
        ShutdownSteps steps = new ShutdownSteps();
        steps.step("simulator", simulator, SimulatedTaskSource::close);
        steps.step("embedded Kafka", kafka, EmbeddedKafka::close);
        if (kafka != null) {
            steps.step("bootstrap file", dataDir.resolve(EmbeddedDataDir.BOOTSTRAP_FILE), Files::deleteIfExists);
        }
    }

    private void createDataDir() {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dataDir, e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
