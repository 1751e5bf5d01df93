package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.config.ConfigKeys;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class SettingsConfigDefTest {

    private final ConfigDef def = new TaskwatchSourceConnector().config();

    @Test
    void shouldDeclareEveryKeyOfAFixedPathFromTheTable() {
        assertThat(def.names()).containsExactlyInAnyOrderElementsOf(ConfigKeys.ENVIRONMENT_OVERRIDES.values());
    }

    @Test
    void shouldCarryTheDefaultTypeAndDocumentationOfEachKey() {
        ConfigDef.ConfigKey timeout = def.configKeys().get("poller.request-timeout");
        assertThat(timeout.defaultValue).isEqualTo("10s");
        assertThat(timeout.documentation).isEqualTo("(duration) 10s; how long one HTTP request may take");
        assertThat(timeout.group).isEqualTo("poller");
        assertThat(def.configKeys().get("poller.max-response-size").defaultValue).isEqualTo("10MB");
        assertThat(def.configKeys().get("poller.trust-store-password").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get("poller.trust-store-password").defaultValue).isNull();
        assertThat(def.configKeys().get("schema-registry.url").hasDefault()).isFalse();
    }

    @Test
    void shouldShowTheDocumentationOfTheDeclaredKeysInValidate() {
        Map<String, String> props = new HashMap<>(Map.of("schema-registry.url", "http://sr:8081",
                "poller.jitter", "2"));
        Config config = new TaskwatchSourceConnector().validate(props);

        ConfigValue jitter = config.configValues().stream().filter(v -> v.name().equals("poller.jitter")).findFirst()
                .orElseThrow();
        assertThat(jitter.errorMessages()).containsExactly("must be between 0 and 1, got 2.0");
        assertThat(def.configKeys().get("poller.jitter").documentation).contains("relative jitter");
    }
}
