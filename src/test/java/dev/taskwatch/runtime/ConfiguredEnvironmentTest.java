package dev.taskwatch.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.taskwatch.config.ConfigException;
import dev.taskwatch.config.ConfigLoader;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.serde.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production environment: configured Kafka and registry, the registry checked at start, URLs printed masked. */
class ConfiguredEnvironmentTest {

    private WireMockServer registry;

    @BeforeEach
    void startRegistry() {
        registry = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        registry.start();
        registry.stubFor(get("/config").willReturn(okJson("{\"compatibilityLevel\":\"BACKWARD\"}")));
    }

    @AfterEach
    void stopRegistry() {
        registry.stop();
    }

    private TaskwatchConfig config(String registryUrl) {
        return ConfigLoader.parse("""
                kafka:
                  bootstrap-servers: kafka-1:9092
                schema-registry:
                  url: %s
                """.formatted(registryUrl), Map.of());
    }

    @Test
    void shouldPrintTheRegistryUrlWithoutItsUserInfo() {
        List<String> banner = new ArrayList<>();
        new ConfiguredEnvironment(config("http://svc-user:svc-password@127.0.0.1:" + registry.port())).start(banner);

        assertThat(banner).contains("Schema registry: http://****@127.0.0.1:" + registry.port(),
                "Kafka:           kafka-1:9092");
        assertThat(String.join("\n", banner)).doesNotContain("svc-password").doesNotContain("svc-user");
    }

    @Test
    void shouldAskTheRegistryAtStartAndShareOneClientBetweenAllSerdes() {
        ConfiguredEnvironment environment = new ConfiguredEnvironment(config("http://127.0.0.1:" + registry.port()));
        environment.start(new ArrayList<>());

        registry.verify(1, getRequestedFor(urlEqualTo("/config")));
        assertThat(environment.serdeConfig().get(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT))
                .isInstanceOf(SchemaRegistryClient.class);
        assertThat(environment.bootstrapServers()).isEqualTo("kafka-1:9092");
    }

    @Test
    void shouldNameTheMissingKeyWhenTargetsAreNotConfigured() {
        ConfiguredEnvironment environment = new ConfiguredEnvironment(config("http://127.0.0.1:" + registry.port()));

        assertThatThrownBy(() -> environment.taskSources(null, null, new ArrayList<>(), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("targets: required by this command");
    }
}
