package dev.taskwatch.cli;

import dev.taskwatch.Topics;
import dev.taskwatch.serde.AvroSerdeConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster and the schema registry are, for commands that talk to them directly ({@code events},
 * {@code watch}). Each option also reads its default from the environment ({@code TASKWATCH_BOOTSTRAP_SERVERS},
 * {@code TASKWATCH_SCHEMA_REGISTRY_URL}, {@code TASKWATCH_TOPIC_PREFIX}).
 */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (env TASKWATCH_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema registry URL (env TASKWATCH_SCHEMA_REGISTRY_URL).")
    String schemaRegistryUrl;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
            description = "Prefix of the topic names (env TASKWATCH_TOPIC_PREFIX; default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property, e.g. -X security.protocol=SASL_SSL (repeatable).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    /** @throws UserInputException when no bootstrap servers were given */
    public String bootstrapServers() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new UserInputException("No Kafka cluster given: pass --bootstrap-servers HOST:PORT or set "
                    + "TASKWATCH_BOOTSTRAP_SERVERS.");
        }
        return bootstrapServers;
    }

    /** Bootstrap servers plus the {@code -X} passthrough properties, for any Kafka client. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(kafkaProperties);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** Serde configuration ({@link AvroSerdeConfig} keys). @throws UserInputException when no registry was given */
    public Map<String, Object> serdeConfig() {
        if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
            throw new UserInputException("No schema registry given: pass --schema-registry-url URL or set "
                    + "TASKWATCH_SCHEMA_REGISTRY_URL.");
        }
        return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }
}
