package dev.taskwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.taskcenter.auth.Credentials;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Flat key-path properties (the Kafka Connect connector's) bind into the same model as the YAML. */
class ConfigPropertiesTest {

    static final Map<String, String> CONNECTOR = Map.ofEntries(
            Map.entry("name", "taskwatch-source"),
            Map.entry("tasks.max", "1"),
            Map.entry("credentials.prod.type", "aksk"),
            Map.entry("credentials.prod.access-key", "AKID"),
            Map.entry("credentials.prod.secret-key", "sk-secret"),
            Map.entry("targets[0].service", "dds"),
            Map.entry("targets[0].region", "eu-de"),
            Map.entry("targets[0].project-id", "p1"),
            Map.entry("targets[0].credentials", "prod"),
            Map.entry("targets[1].service", "geminidb"),
            Map.entry("targets[1].region", "eu-de"),
            Map.entry("targets[1].project-id", "p1"),
            Map.entry("targets[1].credentials", "prod"),
            Map.entry("targets[1].page-size", "20"),
            Map.entry("poller.request-timeout", "3s"),
            Map.entry("poller.non-proxy-hosts", "*.internal,localhost"),
            Map.entry("topics.prefix", "team-a."),
            Map.entry("schema-registry.url", "https://sr:8081"),
            Map.entry("kafka.properties.security.protocol", "SSL"));

    static final Set<String> CONNECT_KEYS = Set.of("name", "tasks.max", "connector.class");

    @Test
    void shouldBindFlatKeyPathsIntoTheSameModelAsTheYaml() {
        TaskwatchConfig config = ConfigProperties.bind(CONNECTOR, CONNECT_KEYS::contains);

        assertThat(config.targets()).hasSize(2);
        assertThat(config.targets().get(0).target().name()).isEqualTo("dds/eu-de/p1");
        assertThat(config.targets().get(1).pageSize()).isEqualTo(20);
        assertThat(config.credentials().get("prod").credentials())
                .isEqualTo(new Credentials.AkSk("prod", "AKID", "sk-secret", null));
        assertThat(config.poller().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.pollerNetwork().nonProxyHosts()).containsExactly("*.internal", "localhost");
        assertThat(config.topics().prefix()).isEqualTo("team-a.");
        assertThat(config.kafka().properties()).containsExactly(Map.entry("security.protocol", "SSL"));
    }

    @Test
    void shouldReportEachProblemAgainstItsPropertyName() {
        Map<String, String> broken = new java.util.HashMap<>(CONNECTOR);
        broken.put("targets[1].page-size", "30");
        broken.put("poller.request-timout", "3s");
        broken.put("credentials.prod.secret-key", "sk\nsecret");
        broken.put("targets[0].interval", "soon");

        assertThat(ConfigProperties.validate(broken, CONNECT_KEYS::contains)).containsExactly(
                new ConfigProblem("credentials.prod.secret-key", "contains a line break or another control "
                        + "character, which cannot be sent in an HTTP header (value not shown)"),
                new ConfigProblem("targets[0].interval", "invalid duration 'soon' (use e.g. 30s, 5m, PT1M)"),
                new ConfigProblem("targets[1].page-size", "geminidb accepts 10, 20 or 50, got 30"),
                new ConfigProblem("poller.request-timout", "unknown key (did you mean request-timeout?)"));
    }

    @Test
    void shouldReportPropertiesThatAreNotKeyPaths() {
        assertThat(ConfigProperties.validate(Map.of("name", "x", "poller", "fast", "poller.jitter", "0.1"),
                k -> false)).containsExactly(
                new ConfigProblem("poller.jitter", "set both as a value and as a section"),
                new ConfigProblem("name", "unknown key (valid here: kafka, schema-registry, topics, credentials, "
                        + "targets, discovery, poller, transitions, http, logging, notify)"),
                new ConfigProblem("poller", "expected a mapping, got 'fast'"));
        assertThat(ConfigProperties.validate(Map.of("targets[99999].service", "dds"), k -> false)).containsExactly(
                new ConfigProblem("targets[99999].service", "list index 99999 is too large (at most 9999)"));
        assertThat(ConfigProperties.validate(CONNECTOR, CONNECT_KEYS::contains)).isEmpty();
    }
}
