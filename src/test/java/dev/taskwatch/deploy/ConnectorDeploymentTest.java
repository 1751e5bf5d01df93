package dev.taskwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import static dev.taskwatch.deploy.DeployFiles.ROOT;
import static dev.taskwatch.deploy.DeployFiles.documents;
import static dev.taskwatch.deploy.DeployFiles.map;
import static dev.taskwatch.deploy.DeployFiles.nested;
import static dev.taskwatch.deploy.DeployFiles.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwatch.connect.TaskwatchSourceConnector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * The connector configs shipped for deployment (the Strimzi KafkaConnector of deploy/components/strimzi-connect and the
 * JSON the compose profile `connect` PUTs to the REST API) pass the connector's own {@code validate}, and name every
 * secret only through a worker config provider, so no secret value sits in git or in Connect's config topic.
 */
class ConnectorDeploymentTest {

    private static final String KAFKA_CONNECTOR = "deploy/components/strimzi-connect/kafkaconnector.yaml";
    private static final String KAFKA_CONNECT = "deploy/components/strimzi-connect/kafkaconnect.yaml";
    private static final String COMPOSE_JSON = "deploy/compose/taskwatch-connector.json";

    static Map<String, String> strimziConnectorConfig() {
        Map<String, Object> connector = documents(read(ROOT.resolve(KAFKA_CONNECTOR)), KAFKA_CONNECTOR).get(0);
        Map<String, String> config = new LinkedHashMap<>();
        map(nested(connector, "spec", "config"), KAFKA_CONNECTOR).forEach((k, v) -> config.put(k, String.valueOf(v)));
        return config;
    }

    static Map<String, String> composeConnectorConfig() throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        new ObjectMapper().readTree(ROOT.resolve(COMPOSE_JSON).toFile()).fields()
                .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    /** Every error message the connector's validate reports, as "key: message". */
    static List<String> validationErrors(Map<String, String> config) {
        return new TaskwatchSourceConnector().validate(config).configValues().stream()
                .flatMap((ConfigValue v) -> v.errorMessages().stream().map(m -> v.name() + ": " + m))
                .toList();
    }

    /** Secret keys: the connector's PASSWORD keys and the secret fields of a credential. */
    static boolean isSecret(String key) {
        ConfigDef.ConfigKey declared = new TaskwatchSourceConnector().config().configKeys().get(key);
        if (declared != null) {
            return declared.type == ConfigDef.Type.PASSWORD;
        }
        return key.startsWith("credentials.") && Set.of("token", "password", "access-key", "secret-key",
                "security-token").contains(key.substring(key.lastIndexOf('.') + 1));
    }

    /** The worker resolves providers before start; validate sees the reference, which is what must be checked here. */
    static List<String> secretsNotFromProviders(Map<String, String> config) {
        return config.entrySet().stream()
                .filter(e -> isSecret(e.getKey()))
                .filter(e -> !e.getValue().matches("\\$\\{(env|file):[^}]+}"))
                .map(Map.Entry::getKey)
                .toList();
    }

    @Test
    void shouldValidateTheStrimziKafkaConnectorConfig() {
        Map<String, String> config = strimziConnectorConfig();
        assertThat(validationErrors(config)).isEmpty();
        assertThat(config).containsKeys("schema-registry.url", "topics.prefix", "targets[0].service",
                "targets[1].service");
        assertThat(config.get("targets[0].credentials")).isEqualTo(config.get("targets[1].credentials"));
    }

    @Test
    void shouldValidateTheComposeConnectorJson() throws Exception {
        Map<String, String> config = composeConnectorConfig();
        assertThat(config).containsEntry("connector.class", TaskwatchSourceConnector.class.getName());
        assertThat(validationErrors(config)).isEmpty();
    }

    @Test
    void shouldNameSecretsOnlyThroughConfigProviders() throws Exception {
        assertThat(secretsNotFromProviders(strimziConnectorConfig())).isEmpty();
        assertThat(secretsNotFromProviders(composeConnectorConfig())).isEmpty();
        assertThat(strimziConnectorConfig().keySet().stream().filter(ConnectorDeploymentTest::isSecret)).isNotEmpty();
    }

    @Test
    void shouldRunTheStrimziWorkerWithByteArrayConvertersExactlyOnceAndTheProvidersTheConnectorUses() {
        Map<String, Object> connect = documents(read(ROOT.resolve(KAFKA_CONNECT)), KAFKA_CONNECT).get(0);
        Map<String, Object> config = map(nested(connect, "spec", "config"), KAFKA_CONNECT);
        String byteArray = "org.apache.kafka.connect.converters.ByteArrayConverter";
        assertThat(config).containsEntry("key.converter", byteArray).containsEntry("value.converter", byteArray)
                .containsEntry("exactly.once.source.support", "enabled");
        assertThat(String.valueOf(config.get("config.providers")).split(",")).contains("env", "file");
        assertThat(nested(connect, "metadata", "name"))
                .isEqualTo(nested(documents(read(ROOT.resolve(KAFKA_CONNECTOR)), KAFKA_CONNECTOR).get(0),
                        "metadata", "labels", "strimzi.io/cluster"));
    }

    @Test
    void shouldRunTheComposeWorkerWithByteArrayConvertersExactlyOnceAndTheEnvProvider() {
        String worker = read(ROOT.resolve("deploy/compose/connect-worker.properties"));
        assertThat(worker).contains("key.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                "exactly.once.source.support=enabled", "config.providers=env,file",
                "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    }
}
