package dev.taskwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {

    @Test
    void shouldKnowConcreteKeyPaths() {
        assertThat(ConfigKeys.isKnown("kafka.bootstrap-servers")).isTrue();
        assertThat(ConfigKeys.isKnown("kafka.properties.security.protocol")).isTrue();
        assertThat(ConfigKeys.isKnown("credentials.prod.secret-key")).isTrue();
        assertThat(ConfigKeys.isKnown("targets[12].active-interval")).isTrue();
        assertThat(ConfigKeys.isKnown("transitions.state-retention")).isTrue();
        assertThat(ConfigKeys.isKnown("kafka.bootstrap-server")).isFalse();
        assertThat(ConfigKeys.isKnown("kafka.properties")).isFalse();
        assertThat(ConfigKeys.isKnown("targets[].service")).isFalse();
        assertThat(ConfigKeys.isKnown("credentials.prod.colour")).isFalse();
        assertThat(ConfigKeys.isKnown("http.port.extra")).isFalse();
        assertThat(ConfigKeys.isKnown("notify.rules[3].webhook.headers.X-Api-Key")).isTrue();
        assertThat(ConfigKeys.isKnown("schema-registry.ssl.key-store-type")).isTrue();
        assertThat(ConfigKeys.isKnown("notify.rules[0].webhook")).isFalse();
    }

    @Test
    void shouldListEveryKeyOfTheConventions() {
        assertThat(ConfigKeys.ALL).contains("kafka.bootstrap-servers", "kafka.properties.*", "schema-registry.url",
                "schema-registry.basic-auth-user-info", "schema-registry.bearer-token", "topics.prefix",
                "topics.partitions", "topics.replication-factor", "topics.create", "credentials.<name>.type",
                "credentials.<name>.token", "credentials.<name>.user", "credentials.<name>.password",
                "credentials.<name>.domain", "credentials.<name>.iam-endpoint", "credentials.<name>.access-key",
                "credentials.<name>.secret-key", "credentials.<name>.security-token",
                "credentials.<name>.requests-per-second", "credentials.<name>.cloud", "targets[].name", "targets[].cloud", "targets[].service", "targets[].region",
                "targets[].project-id", "targets[].endpoint", "targets[].credentials", "targets[].interval",
                "targets[].active-interval", "targets[].lookback", "targets[].page-size", "poller.request-timeout",
                "poller.max-pages-per-cycle", "poller.watch-not-found-grace", "poller.backoff-max", "poller.jitter",
                "poller.visibility-margin", "poller.sweep-interval", "poller.running-refresh",
                "transitions.application-id", "transitions.state-retention", "transitions.backfill-threshold",
                "transitions.progress-events", "transitions.processing-guarantee", "transitions.state-dir",
                "transitions.commit-interval", "http.port", "http.host", "poller.max-response-size",
                "poller.unhealthy-after", "poller.proxy", "poller.non-proxy-hosts", "poller.trust-store",
                "poller.trust-store-password", "poller.trust-store-type", "schema-registry.ssl.trust-store",
                "schema-registry.ssl.trust-store-password", "schema-registry.ssl.trust-store-type",
                "schema-registry.ssl.key-store", "schema-registry.ssl.key-store-password",
                "schema-registry.ssl.key-store-type", "transitions.group-instance-id", "transitions.session-timeout",
                "logging.format", "notify.group-id", "notify.rules[].name", "notify.rules[].event-types",
                "notify.rules[].services", "notify.rules[].regions", "notify.rules[].projects",
                "notify.rules[].instance-ids", "notify.rules[].instance-names", "notify.rules[].task-names",
                "notify.rules[].include-backfill", "notify.rules[].webhook.url", "notify.rules[].webhook.headers.*",
                "notify.rules[].webhook.timeout", "notify.rules[].webhook.secret", "notify.rules[].retry.max-attempts",
                "notify.rules[].retry.max-duration", "notify.rules[].retry.initial-backoff",
                "notify.rules[].retry.max-backoff", "discovery.credentials", "discovery.regions", "discovery.services",
                "discovery.include", "discovery.exclude", "discovery.interval", "discovery.active-interval",
                "discovery.refresh-interval", "discovery.empty-interval", "discovery.iam-endpoint",
                "discovery.endpoint").hasSize(93);
    }

    @Test
    void shouldMapEnvironmentVariablesOneToOne() {
        assertThat(ConfigKeys.environmentVariable("kafka.bootstrap-servers"))
                .isEqualTo("TASKWATCH_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(ConfigKeys.ENVIRONMENT_OVERRIDES)
                .containsEntry("TASKWATCH_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "schema-registry.basic-auth-user-info")
                .containsEntry("TASKWATCH_HTTP_PORT", "http.port")
                .doesNotContainValue("kafka.properties")
                .containsEntry("TASKWATCH_TRANSITIONS_GROUP_INSTANCE_ID", "transitions.group-instance-id")
                .containsEntry("TASKWATCH_SCHEMA_REGISTRY_SSL_TRUST_STORE", "schema-registry.ssl.trust-store")
                .doesNotContainValue("notify.rules[].name")
                .containsEntry("TASKWATCH_DISCOVERY_REFRESH_INTERVAL", "discovery.refresh-interval")
                .hasSize(53); // one variable per fixed key: no two keys collide
        assertThat(ConfigKeys.ENVIRONMENT_OVERRIDES.values()).allMatch(ConfigKeys::isKnown);
    }

    @Test
    void shouldParseDataSizesInBinaryUnitsAndRejectTheRest() {
        assertThat(DataSizes.parse("1048576")).isEqualTo(1L << 20);
        assertThat(DataSizes.parse("512KB")).isEqualTo(512L << 10);
        assertThat(DataSizes.parse("10MB")).isEqualTo(10L << 20);
        assertThat(DataSizes.parse("1MiB")).isEqualTo(1L << 20);
        assertThat(DataSizes.parse("2 gib")).isEqualTo(2L << 30);
        assertThat(DataSizes.parse("100B")).isEqualTo(100);
        assertThat(DataSizes.format(10L << 20)).isEqualTo("10MB");
        assertThat(DataSizes.format(1000)).isEqualTo("1000B");
        for (String bad : new String[] {"ten", "10 TB", "-1MB", "1.5MB", "", "99999999999999999999"}) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> DataSizes.parse(bad));
        }
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> DataSizes.parse("9999999999999GB")).withMessageContaining("too large");
    }

    @Test
    void shouldParseAndFormatDurations() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("35d")).isEqualTo(Duration.ofDays(35));
        assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.format(Duration.ofDays(20))).isEqualTo("20d");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        for (String bad : new String[] {"soon", "30", "-5s", "PT-5S", "5 minutes", ""}) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(bad));
        }
    }
}
