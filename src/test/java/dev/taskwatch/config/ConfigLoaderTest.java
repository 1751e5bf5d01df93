package dev.taskwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskwatch.config.TaskwatchConfig.TargetConfig;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final String TOKEN_CREDENTIAL = """
            credentials:
              dev:
                type: token
                token: t0ken-value
            """;

    static List<String> problemsOf(String yaml) {
        return problemsOf(yaml, Map.of());
    }

    static List<String> problemsOf(String yaml, Map<String, String> env) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, env)).problems();
    }

    static String target(String extra) {
        return TOKEN_CREDENTIAL + """
                targets:
                  - service: dds
                    region: eu-de
                    project-id: p1
                    credentials: dev
                """ + extra.indent(4);
    }

    @Test
    void shouldGiveDefaultsForAnEmptyFile() {
        TaskwatchConfig config = ConfigLoader.parse("", Map.of());

        assertThat(config).isEqualTo(TaskwatchConfig.defaults());
        assertThat(config.kafkaConfigured()).isFalse();
        assertThat(config.schemaRegistryConfigured()).isFalse();
        assertThat(config.targetsConfigured()).isFalse();
        assertThat(config.production()).isFalse();
        assertThat(config.topics().prefix()).isEqualTo("taskwatch.");
        assertThat(config.topics().partitions()).isEqualTo(6);
        assertThat(config.topics().replicationFactor()).isEqualTo(-1);
        assertThat(config.topics().create()).isTrue();
        assertThat(config.poller().requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.poller().maxPagesPerCycle()).isEqualTo(50);
        assertThat(config.poller().watchNotFoundGrace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.poller().backoffMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.poller().jitter()).isEqualTo(0.2);
        assertThat(config.transitions().applicationId()).isEqualTo("taskwatch-transitions");
        assertThat(config.transitions().stateRetention()).isEqualTo(Duration.ofDays(35));
        assertThat(config.transitions().backfillThreshold()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.transitions().progressEvents()).isTrue();
        assertThat(config.transitions().processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(config.transitions().stateDir()).isNull();
        assertThat(config.transitions().commitInterval()).isNull();
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.http().enabled()).isTrue();
    }

    @Test
    void shouldBuildTargetsWithDefaultsAndDefaultEndpoint() {
        TaskwatchConfig config = ConfigLoader.parse(target(""), Map.of());

        TargetConfig only = config.targets().get(0);
        assertThat(only.target()).isEqualTo(new Target("dds/eu-de/p1", Service.DDS, "eu-de", "p1",
                URI.create("https://dds.eu-de.otc.t-systems.com"), "dev", Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofDays(7)));
        assertThat(only.pageSize()).isNull();
        assertThat(config.targetsConfigured()).isTrue();
        assertThat(config.credentialsOf(only.target()).credentials())
                .isEqualTo(new Credentials.StaticToken("dev", "t0ken-value"));
        assertThat(config.credentialsOf(only.target()).rateLimit().requestsPerSecond()).isEqualTo(1.0);
    }

    @Test
    void shouldHonourEndpointOverrideAndTargetSettings() {
        TaskwatchConfig config = ConfigLoader.parse(target("""
                name: simulated
                endpoint: http://127.0.0.1:9999/dds
                interval: PT1M
                active-interval: 500ms
                lookback: 30d
                page-size: 100
                """), Map.of());

        Target target = config.targets().get(0).target();
        assertThat(target.name()).isEqualTo("simulated");
        assertThat(target.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9999/dds"));
        assertThat(target.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(target.activeInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(target.lookback()).isEqualTo(Duration.ofDays(30));
        assertThat(config.targets().get(0).pageSize()).isEqualTo(100);
    }

    @Test
    void shouldReportAnInvalidDurationWithItsPath() {
        String yaml = TOKEN_CREDENTIAL + """
                targets:
                  - service: dds
                    region: eu-de
                    project-id: p1
                    credentials: dev
                  - service: dds
                    region: eu-de
                    project-id: p2
                    credentials: dev
                    interval: soon
                """;
        assertThat(problemsOf(yaml))
                .containsExactly("targets[1].interval: invalid duration 'soon' (use e.g. 30s, 5m, PT1M)");
    }

    @Test
    void shouldReportAMissingFieldOfTheCredentialType() {
        String yaml = """
                credentials:
                  prod:
                    type: aksk
                    access-key: AK
                """;
        assertThat(problemsOf(yaml)).containsExactly("credentials.prod.secret-key: missing (required for type aksk)");
    }

    @Test
    void shouldReportEveryMissingFieldOfPasswordAndTokenTypes() {
        String yaml = """
                credentials:
                  a:
                    type: password
                    user: u
                  b:
                    type: token
                    token: ""
                  c:
                    type: magic
                  d:
                    token: x
                """;
        assertThat(problemsOf(yaml)).containsExactly(
                "credentials.a.password: missing (required for type password)",
                "credentials.a.domain: missing (required for type password)",
                "credentials.b.token: missing (required for type token)",
                "credentials.c.type: unknown type 'magic' (one of token, password, aksk)",
                "credentials.d.type: missing (one of token, password, aksk)");
    }

    @Test
    void shouldReportAKeyOfAnotherCredentialType() {
        String yaml = """
                credentials:
                  prod:
                    type: token
                    token: x
                    secret-key: y
                """;
        assertThat(problemsOf(yaml)).containsExactly(
                "credentials.prod.secret-key: not used by type token (its keys: type, cloud, requests-per-second, token)");
    }

    @Test
    void shouldReportRetentionBelowTheVisibilityWindow() {
        assertThat(problemsOf("transitions:\n  state-retention: 20d\n")).containsExactly(
                "transitions.state-retention: 20d is below the 30-day API visibility window; use more than 30d "
                        + "(default 35d)");
        assertThat(problemsOf("transitions:\n  state-retention: 30d\n")).containsExactly(
                "transitions.state-retention: 30d equals the 30-day API visibility window; use more than 30d "
                        + "(default 35d)");
        assertThat(ConfigLoader.parse("transitions:\n  state-retention: P31D\n", Map.of()).transitions()
                .stateRetention()).isEqualTo(Duration.ofDays(31));
    }

    @Test
    void shouldSuggestTheNearestKeyForAnUnknownKey() {
        assertThat(problemsOf("kafka:\n  bootstrap-server: localhost:9092\n"))
                .containsExactly("kafka.bootstrap-server: unknown key (did you mean bootstrap-servers?)");
        assertThat(problemsOf("kafak:\n  bootstrap-servers: localhost:9092\n"))
                .containsExactly("kafak: unknown key (did you mean kafka?)");
        assertThat(problemsOf(target("intervall: 5s")))
                .containsExactly("targets[0].intervall: unknown key (did you mean interval?)");
        assertThat(problemsOf("http:\n  colour: blue\n"))
                .containsExactly("http.colour: unknown key (valid here: host, port)");
    }

    @Test
    void shouldReportWrongTypes() {
        String yaml = """
                kafka: localhost:9092
                topics:
                  partitions: many
                  create: perhaps
                targets:
                  service: dds
                poller:
                  jitter: [1, 2]
                http:
                  port: abc
                """;
        assertThat(problemsOf(yaml)).containsExactly(
                "kafka: expected a mapping, got 'localhost:9092'",
                "topics.partitions: expected an integer, got 'many'",
                "topics.create: expected true or false, got 'perhaps'",
                "targets: expected a list of targets, got a mapping",
                "poller.jitter: expected a number, got a list",
                "http.port: expected an integer, got 'abc'");
    }

    @Test
    void shouldReportUnknownServiceUnknownCredentialAndMissingTargetFields() {
        String yaml = TOKEN_CREDENTIAL + """
                targets:
                  - service: mysql
                    region: eu-de
                    project-id: p1
                    credentials: dev
                  - service: dds
                    region: eu-de
                    project-id: p1
                    credentials: prod
                  - service: geminidb
                """;
        assertThat(problemsOf(yaml)).containsExactly(
                "targets[0].service: unknown service 'mysql' (one of geminidb, opengauss, dds, taurusdb, rds)",
                "targets[1].credentials: unknown credential 'prod' (defined: dev)",
                "targets[2].region: missing",
                "targets[2].project-id: missing",
                "targets[2].credentials: missing");
    }

    @Test
    void shouldReportDuplicateTargetNames() {
        String yaml = TOKEN_CREDENTIAL + """
                targets:
                  - {service: dds, region: eu-de, project-id: p1, credentials: dev}
                  - {service: dds, region: eu-de, project-id: p2, credentials: dev, name: dds/eu-de/p1}
                  - {service: dds, region: eu-de, project-id: p1, credentials: dev}
                """;
        assertThat(problemsOf(yaml)).containsExactly(
                "targets[1].name: duplicate target name 'dds/eu-de/p1' (also targets[0]; set distinct names)",
                "targets[2].name: duplicate target name 'dds/eu-de/p1' (also targets[0]; set distinct names)");
    }

    @Test
    void shouldReportLookbackAboveThirtyDaysAndBadPageSizes() {
        assertThat(problemsOf(target("lookback: 31d"))).containsExactly(
                "targets[0].lookback: 31d exceeds the 30-day API visibility window; use at most 30d (default 7d)");
        assertThat(problemsOf(target("page-size: 101")))
                .containsExactly("targets[0].page-size: dds accepts 1 to 100, got 101");
        assertThat(problemsOf(target("page-size: 30").replace("service: dds", "service: geminidb")))
                .containsExactly("targets[0].page-size: geminidb accepts 10, 20 or 50, got 30");
        assertThat(problemsOf(target("endpoint: not a url")))
                .containsExactly("targets[0].endpoint: invalid URL 'not a url' (expected http(s)://host[:port][/path])");
    }

    @Test
    void shouldCollectAllProblemsAtOnce() {
        String yaml = """
                kafka:
                  bootstrap-server: x
                transitions:
                  state-retention: 20d
                  processing-guarantee: exactly_once
                poller:
                  request-timeout: soon
                  jitter: 2
                http:
                  port: 70000
                """;
        assertThat(problemsOf(yaml)).containsExactly(
                "kafka.bootstrap-server: unknown key (did you mean bootstrap-servers?)",
                "poller.request-timeout: invalid duration 'soon' (use e.g. 30s, 5m, PT1M)",
                "poller.jitter: must be between 0 and 1, got 2.0",
                "transitions.state-retention: 20d is below the 30-day API visibility window; use more than 30d "
                        + "(default 35d)",
                "transitions.processing-guarantee: unknown value 'exactly_once' (one of exactly_once_v2, "
                        + "at_least_once)",
                "http.port: must be 0 (disabled) to 65535, got 70000");
    }

    @Test
    void shouldSubstituteEnvironmentVariablesBeforeTypeConversion() {
        String yaml = """
                kafka:
                  bootstrap-servers: ${BROKERS}
                http:
                  port: ${PORT:-9090}
                transitions:
                  state-retention: ${RETENTION:-40d}
                  application-id: tw-${STAGE}-$${literal}
                credentials:
                  prod:
                    type: aksk
                    access-key: ${AK}
                    secret-key: ${SK}
                """;
        TaskwatchConfig config = ConfigLoader.parse(yaml,
                Map.of("BROKERS", "b1:9092,b2:9092", "STAGE", "qa", "AK", "AKID", "SK", "shh", "PORT", "8181"));

        assertThat(config.kafka().bootstrapServers()).isEqualTo("b1:9092,b2:9092");
        assertThat(config.http().port()).isEqualTo(8181);
        assertThat(config.transitions().stateRetention()).isEqualTo(Duration.ofDays(40));
        assertThat(config.transitions().applicationId()).isEqualTo("tw-qa-${literal}");
        assertThat(config.credentials().get("prod").credentials())
                .isEqualTo(new Credentials.AkSk("prod", "AKID", "shh", null));
        assertThat(config.kafkaConfigured()).isTrue();
    }

    @Test
    void shouldGiveOneLineNamingKeyAndVariableWhenAVariableIsMissing() {
        String yaml = """
                credentials:
                  prod:
                    type: aksk
                    access-key: ${AK}
                    secret-key: ${OTC_SK}
                """;
        // one line for the key: the unset variable, not also "missing" for the value it left empty
        assertThat(problemsOf(yaml, Map.of("AK", "x"))).containsExactly(
                "credentials.prod.secret-key: environment variable OTC_SK is not set (write ${OTC_SK:-default} to "
                        + "give a default)");
    }

    @Test
    void shouldTreatAnEmptyDefaultAsNotSet() {
        TaskwatchConfig config = ConfigLoader.parse("kafka:\n  bootstrap-servers: ${KAFKA:-}\n", Map.of());
        assertThat(config.kafkaConfigured()).isFalse();
    }

    @Test
    void shouldPassKafkaPropertiesThroughAsStrings() {
        String yaml = """
                kafka:
                  bootstrap-servers: broker:9093
                  properties:
                    security.protocol: SASL_SSL
                    sasl.jaas.config: ${JAAS}
                    linger.ms: 20
                    enable.idempotence: true
                    ssl:
                      truststore:
                        location: /etc/tls/ts.p12
                """;
        TaskwatchConfig config = ConfigLoader.parse(yaml, Map.of("JAAS", "ScramLoginModule required password=\"p\";"));

        assertThat(config.kafka().properties()).containsExactly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.jaas.config", "ScramLoginModule required password=\"p\";"),
                Map.entry("linger.ms", "20"),
                Map.entry("enable.idempotence", "true"),
                Map.entry("ssl.truststore.location", "/etc/tls/ts.p12"));
        assertThat(config.toString()).doesNotContain("password=\"p\"").contains("sasl.jaas.config");
    }

    @Test
    void shouldRejectBootstrapServersAmongPassthroughProperties() {
        assertThat(problemsOf("kafka:\n  properties:\n    bootstrap.servers: x:1\n"))
                .containsExactly("kafka.properties.bootstrap.servers: set kafka.bootstrap-servers instead");
    }

    @Test
    void shouldNeverShowSecretsInToString() {
        String yaml = """
                schema-registry:
                  url: https://registry:8081
                  basic-auth-user-info: user:registry-pass
                  bearer-token: registry-bearer
                credentials:
                  a: {type: token, token: token-secret}
                  b: {type: password, user: u, password: password-secret, domain: d}
                  c: {type: aksk, access-key: AKIDLONGVALUE, secret-key: secret-key-value, security-token: sts-secret}
                """;
        String shown = ConfigLoader.parse(yaml, Map.of()).toString();
        assertThat(shown).doesNotContain("registry-pass", "registry-bearer", "token-secret", "password-secret",
                "secret-key-value", "sts-secret", "AKIDLONGVALUE");
    }

    @Test
    void shouldNeverShowSecretsInProblems() {
        String yaml = """
                credentials:
                  c: {type: aksk, access-key: AKIDLONGVALUE, secret-key: secret-key-value, typo: 1}
                targets:
                  - {service: dds, credentials: c}
                """;
        assertThat(String.join("\n", problemsOf(yaml))).doesNotContain("secret-key-value");
        assertThat(problemsOf("schema-registry:\n  url: ftp://user:hunter2@registry\n")).containsExactly(
                "schema-registry.url: invalid URL 'ftp://****@registry' (expected http(s)://host[:port][/path])");
    }

    @Test
    void shouldApplyEnvironmentOverrides() {
        Map<String, String> env = new HashMap<>();
        env.put("TASKWATCH_KAFKA_BOOTSTRAP_SERVERS", "prod:9092");
        env.put("TASKWATCH_SCHEMA_REGISTRY_URL", "http://registry:8081");
        env.put("TASKWATCH_HTTP_PORT", "0");
        env.put("TASKWATCH_TRANSITIONS_STATE_RETENTION", "45d");
        TaskwatchConfig config = ConfigLoader.parse("kafka:\n  bootstrap-servers: local:9092\n", env);

        assertThat(config.kafka().bootstrapServers()).isEqualTo("prod:9092");
        assertThat(config.schemaRegistry().url()).isEqualTo("http://registry:8081");
        assertThat(config.http().enabled()).isFalse();
        assertThat(config.transitions().stateRetention()).isEqualTo(Duration.ofDays(45));
        assertThat(config.production()).isTrue();
        assertThat(ConfigLoader.fromEnvironment(Map.of("TASKWATCH_TOPICS_PREFIX", "team-a.")).topics().prefix())
                .isEqualTo("team-a.");
        assertThat(problemsOf("", Map.of("TASKWATCH_HTTP_PORT", "web")))
                .containsExactly("http.port: expected an integer, got 'web'");
    }

    @Test
    void shouldRejectYamlThatDoesNotParse() {
        assertThatThrownBy(() -> ConfigLoader.parse("kafka: [unclosed", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML at line");
        assertThatThrownBy(() -> ConfigLoader.parse("http:\n  port: 1\n  port: 2\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Duplicate field 'port'")
                .hasMessageContaining("at line 3");
        assertThat(problemsOf("- a\n- b\n")).containsExactly("(root): expected a mapping of sections, got a list");
    }

    @Test
    void shouldNameAMissingFile(@TempDir Path dir) {
        assertThat(catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of())).problems())
                .containsExactly(dir.resolve("nope.yaml") + ": file not found");
    }

    static Path exampleFile() {
        Path path = Path.of("taskwatch.example.yaml");
        assertThat(path).exists();
        return path;
    }

    @Test
    void shouldLoadAndValidateTheExampleFile() {
        Map<String, String> env = Map.of("OTC_TOKEN", "t", "OTC_USER", "u", "OTC_PASSWORD", "p", "OTC_DOMAIN", "d",
                "OTC_ACCESS_KEY", "ak", "OTC_SECRET_KEY", "sk", "OTC_PROJECT_ID", "0549b4a43100d4f32f51c01c2fe4acdb");
        TaskwatchConfig config = ConfigLoader.load(exampleFile(), env);

        assertThat(config.kafkaConfigured()).isFalse();
        assertThat(config.schemaRegistryConfigured()).isFalse();
        assertThat(config.targets()).extracting(t -> t.target().name()).containsExactly("dds-prod",
                "geminidb/eu-de/0549b4a43100d4f32f51c01c2fe4acdb", "opengauss/eu-de/0549b4a43100d4f32f51c01c2fe4acdb",
                "taurusdb/eu-de/0549b4a43100d4f32f51c01c2fe4acdb");
        assertThat(config.credentials().keySet()).containsExactly("ops-token", "ops-password", "ops-aksk");
        TaskwatchConfig defaults = TaskwatchConfig.defaults();
        assertThat(config.topics()).isEqualTo(defaults.topics());
        assertThat(config.poller()).isEqualTo(defaults.poller());
        assertThat(config.transitions()).isEqualTo(defaults.transitions());
        assertThat(config.http()).isEqualTo(defaults.http());
    }

    @Test
    void shouldGiveClientAndSerdePropertiesWithEmbeddedFallbacks() {
        TaskwatchConfig embedded = ConfigLoader.parse("kafka:\n  properties:\n    linger.ms: 5\n", Map.of());
        assertThat(embedded.kafka().clientProperties("localhost:39092"))
                .containsExactly(Map.entry("linger.ms", "5"), Map.entry("bootstrap.servers", "localhost:39092"));
        assertThat(embedded.schemaRegistry().serdeConfig("mock://taskwatch"))
                .containsExactly(Map.entry("schema.registry.url", "mock://taskwatch"));

        TaskwatchConfig production = ConfigLoader.parse("""
                kafka: {bootstrap-servers: "b:9092"}
                schema-registry: {url: "https://sr:8081", basic-auth-user-info: "u:p"}
                """, Map.of());
        assertThat(production.kafka().clientProperties("ignored")).containsEntry("bootstrap.servers", "b:9092");
        assertThat(production.schemaRegistry().serdeConfig("ignored")).containsExactly(
                Map.entry("schema.registry.url", "https://sr:8081"), Map.entry("basic.auth.user.info", "u:p"));
    }
}
