package dev.taskwatch.deploy;

import static dev.taskwatch.deploy.DeployFiles.ROOT;
import static dev.taskwatch.deploy.DeployFiles.map;
import static dev.taskwatch.deploy.DeployFiles.nested;
import static dev.taskwatch.deploy.DeployFiles.read;
import static dev.taskwatch.deploy.DeployFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The data-lake recipe of deploy/connect says the same thing in both forms: the Connect REST API JSON (which
 * IcebergDataLakeIT runs) and the Strimzi KafkaConnector, and its secrets come from config providers, never inline.
 */
class DataLakeRecipeTest {

    private static final Path DIR = ROOT.resolve("deploy/connect");

    @Test
    void shouldConfigureTheSameSinkAsRestJsonAndAsKafkaConnector() throws IOException {
        Map<String, String> json = restConfig();
        Map<String, Object> connector = yaml(read(DIR.resolve("iceberg-kafkaconnector.yaml")));

        Map<String, String> fromYaml = new LinkedHashMap<>();
        map(nested(connector, "spec", "config"), "spec.config").forEach((k, v) -> fromYaml.put(k, String.valueOf(v)));
        fromYaml.put("connector.class", String.valueOf(nested(connector, "spec", "class")));
        fromYaml.put("tasks.max", String.valueOf(nested(connector, "spec", "tasksMax")));
        assertThat(fromYaml).isEqualTo(json);
        assertThat(nested(connector, "metadata", "labels", "strimzi.io/cluster")).isEqualTo(
                nested(yaml(read(DIR.resolve("iceberg-kafkaconnect.yaml"))), "metadata", "name"));
    }

    @Test
    void shouldReadCommittedEventsWithTaskwatchConverterAndKeepSecretsInConfigProviders() throws IOException {
        Map<String, String> json = restConfig();

        assertThat(json).containsEntry("topics", "taskwatch.task-events")
                .containsEntry("consumer.override.isolation.level", "read_committed")
                .containsEntry("value.converter", "dev.taskwatch.connect.TaskwatchAvroConverter");
        assertThat(List.of("iceberg.catalog.s3.access-key-id", "iceberg.catalog.s3.secret-access-key"))
                .allSatisfy(key -> assertThat(json.get(key)).startsWith("${file:"));
    }

    private static Map<String, String> restConfig() throws IOException {
        JsonNode config = new ObjectMapper().readTree(DIR.resolve("iceberg-sink.json").toFile()).get("config");
        Map<String, String> out = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
