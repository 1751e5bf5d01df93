package dev.taskwatch.cli;

import dev.taskwatch.model.Topics;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.devkit.embedded.EmbeddedDataDir;
import dev.taskwatch.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster and the schema registry are, for commands that talk to them directly ({@code events},
 * {@code watch}). Each setting is resolved in this order: the option (or its environment variable,
 * {@code TASKWATCH_BOOTSTRAP_SERVERS}, {@code TASKWATCH_SCHEMA_REGISTRY_URL}, {@code TASKWATCH_TOPIC_PREFIX}), then
 * the configuration ({@link #useConfig}: {@code --config} file and its {@code TASKWATCH_KAFKA_*} overrides), then a
 * {@code taskwatch run} in embedded mode found through its data directory ({@code --data-dir}, default
 * {@code .taskwatch}): the broker address it wrote to {@code bootstrap-servers} and its registry journal.
 */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (env TASKWATCH_BOOTSTRAP_SERVERS; default: kafka.bootstrap-servers "
                    + "of --config, else the embedded broker of a `taskwatch run` on --data-dir).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema registry URL (env TASKWATCH_SCHEMA_REGISTRY_URL; default: schema-registry.url of "
                    + "--config, else the in-process registry of a `taskwatch run` on --data-dir).")
    String schemaRegistryUrl;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "Prefix of the topic names (env TASKWATCH_TOPIC_PREFIX; default: topics.prefix of --config, "
                    + "else " + Topics.DEFAULT_PREFIX + ").")
    String topicPrefix;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property, e.g. -X security.protocol=SASL_SSL (repeatable; wins over "
                    + "kafka.properties of --config).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".taskwatch",
            description = "Data directory of a running `taskwatch run` in embedded mode (env TASKWATCH_DATA_DIR; "
                    + "default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of(".taskwatch");

    private TaskwatchConfig config = TaskwatchConfig.defaults();

    /** Settings of the configuration fill in what the options leave open. */
    public KafkaOptions useConfig(TaskwatchConfig config) {
        this.config = config;
        return this;
    }

    /**
     * {@link #useConfig} with the {@code --config} file, when one is named. Without a file the options and their
     * {@code TASKWATCH_*} variables say it all (the configuration's own overrides would read the same variables).
     */
    KafkaOptions useConfigFile(CommonOptions common) {
        return common.config().isPresent() ? useConfig(common.load()) : this;
    }

    /** @throws UserInputException when no bootstrap servers were given or found */
    public String bootstrapServers() {
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            return bootstrapServers;
        }
        if (config.kafkaConfigured()) {
            return config.kafka().bootstrapServers();
        }
        Optional<String> embedded = EmbeddedDataDir.bootstrapServers(dataDir);
        if (embedded.isPresent()) {
            return embedded.get();
        }
        Path file = dataDir.resolve(EmbeddedDataDir.BOOTSTRAP_FILE);
        throw new UserInputException("No Kafka cluster given: pass --bootstrap-servers HOST:PORT or set "
                + "TASKWATCH_BOOTSTRAP_SERVERS, set kafka.bootstrap-servers in --config, or start `taskwatch run` "
                + "(its embedded broker's address is in " + file + ").");
    }

    /** Bootstrap servers plus the passthrough properties ({@code kafka.properties}, then {@code -X}). */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(config.kafka().properties());
        props.putAll(kafkaProperties);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /**
     * Serde configuration ({@link AvroSerdeConfig} keys).
     *
     * @throws UserInputException when no registry was given or found
     */
    public Map<String, Object> serdeConfig() {
        if (schemaRegistryUrl != null && !schemaRegistryUrl.isBlank()) {
            return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        }
        if (config.schemaRegistryConfigured()) {
            return config.schemaRegistry().serdeConfig(null);
        }
        Optional<Map<String, Object>> embedded = EmbeddedDataDir.serdeConfig(dataDir);
        if (embedded.isPresent()) {
            return embedded.get();
        }
        Path journal = dataDir.resolve(EmbeddedDataDir.SCHEMA_JOURNAL);
        throw new UserInputException("No schema registry given: pass --schema-registry-url URL or set "
                + "TASKWATCH_SCHEMA_REGISTRY_URL, set schema-registry.url in --config, or start `taskwatch run` (its "
                + "in-process registry is in " + journal + ").");
    }

    public Topics topics() {
        if (topicPrefix != null && !topicPrefix.isBlank()) {
            return new Topics(topicPrefix);
        }
        return config.topics().names();
    }
}
