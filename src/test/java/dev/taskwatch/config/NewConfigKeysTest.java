package dev.taskwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskwatch.config.NotifyConfig.NotifyRule;
import dev.taskwatch.config.TaskwatchConfig.KeyStoreConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys added for proxies, TLS, readiness, static membership, logging and notification rules. */
class NewConfigKeysTest {

    static List<String> problemsOf(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of())).problems();
    }

    @Test
    void shouldGiveTheDocumentedDefaultsOfTheNewKeys() {
        TaskwatchConfig config = ConfigLoader.parse("", Map.of());

        assertThat(config.http().host()).isEqualTo("0.0.0.0");
        assertThat(config.pollerNetwork().maxResponseSize()).isEqualTo(10L << 20);
        assertThat(config.pollerNetwork().unhealthyAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.pollerNetwork().proxy()).isNull();
        assertThat(config.pollerNetwork().nonProxyHosts()).isEmpty();
        assertThat(config.pollerNetwork().trustStore()).isNull();
        assertThat(config.schemaRegistry().trustStore()).isNull();
        assertThat(config.schemaRegistry().keyStore()).isNull();
        assertThat(config.transitions().groupInstanceId()).isNull();
        assertThat(config.transitions().sessionTimeout()).isNull();
        assertThat(config.logging().format()).isEqualTo("text");
        assertThat(config.logging().json()).isFalse();
        assertThat(config.notifications().groupId()).isEqualTo("taskwatch-notify");
        assertThat(config.notifications().rules()).isEmpty();
    }

    @Test
    void shouldBindNetworkTlsMembershipAndLoggingKeys() {
        TaskwatchConfig config = ConfigLoader.parse("""
                http: {host: 127.0.0.1}
                poller:
                  max-response-size: 512KB
                  unhealthy-after: 90s
                  proxy: http://proxy.corp:3128
                  non-proxy-hosts: ["*.internal", 10.*]
                  trust-store: /etc/tw/ca.p12
                  trust-store-password: pw
                schema-registry:
                  ssl:
                    key-store: /etc/tw/client.jks
                    key-store-type: JKS
                transitions: {group-instance-id: taskwatch-0, session-timeout: 45s}
                logging: {format: JSON}
                """, Map.of("TASKWATCH_POLLER_NON_PROXY_HOSTS", "a.example, b.example"));

        assertThat(config.http().host()).isEqualTo("127.0.0.1");
        assertThat(config.pollerNetwork().maxResponseSize()).isEqualTo(512 * 1024);
        assertThat(config.pollerNetwork().unhealthyAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.pollerNetwork().proxy()).isEqualTo(URI.create("http://proxy.corp:3128"));
        // the environment override wins over the file, as a comma-separated list
        assertThat(config.pollerNetwork().nonProxyHosts()).containsExactly("a.example", "b.example");
        assertThat(config.pollerNetwork().trustStore())
                .isEqualTo(new KeyStoreConfig(Path.of("/etc/tw/ca.p12"), "pw", "PKCS12"));
        assertThat(config.schemaRegistry().keyStore())
                .isEqualTo(new KeyStoreConfig(Path.of("/etc/tw/client.jks"), null, "JKS"));
        assertThat(config.transitions().groupInstanceId()).isEqualTo("taskwatch-0");
        assertThat(config.transitions().sessionTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.logging().json()).isTrue();
    }

    @Test
    void shouldHandTheRegistryStoresToTheSerdeAndTheProxyAndTrustStoreToTheTaskCenterClient() {
        TaskwatchConfig config = ConfigLoader.parse("""
                schema-registry:
                  url: https://registry.example:8081
                  ssl: {trust-store: /etc/tw/ca.p12, trust-store-password: tpw, key-store: /etc/tw/c.jks,
                        key-store-password: kpw, key-store-type: JKS}
                poller: {proxy: "http://proxy.corp:3128", non-proxy-hosts: ["*.internal"], trust-store: /etc/tw/t.p12}
                """, Map.of());

        assertThat(config.schemaRegistry().serdeConfig(null))
                .containsEntry(dev.taskwatch.serde.AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, "/etc/tw/ca.p12")
                .containsEntry(dev.taskwatch.serde.AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, "tpw")
                .containsEntry(dev.taskwatch.serde.AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "PKCS12")
                .containsEntry(dev.taskwatch.serde.AvroSerdeConfig.SSL_KEYSTORE_LOCATION, "/etc/tw/c.jks")
                .containsEntry(dev.taskwatch.serde.AvroSerdeConfig.SSL_KEYSTORE_PASSWORD, "kpw")
                .containsEntry(dev.taskwatch.serde.AvroSerdeConfig.SSL_KEYSTORE_TYPE, "JKS");
        dev.taskwatch.http.HttpClientSettings client = config.pollerNetwork().clientSettings();
        assertThat(client.proxy()).isEqualTo(URI.create("http://proxy.corp:3128"));
        assertThat(client.nonProxyHosts()).containsExactly("*.internal");
        assertThat(client.trustStore()).isEqualTo(Path.of("/etc/tw/t.p12"));
    }

    @Test
    void shouldReportBadValuesOfTheNewKeysWithTheirPaths() {
        assertThat(problemsOf("""
                poller:
                  max-response-size: lots
                  unhealthy-after: 0s
                  trust-store-password: pw
                  proxy: socks5://proxy:1080
                logging: {format: xml}
                transitions: {session-timeout: 0s}
                """)).containsExactly(
                "poller.max-response-size: invalid data size 'lots' (use e.g. 512KB, 10MB, 1MiB or plain bytes)",
                "poller.trust-store-password: set only together with poller.trust-store",
                "poller.unhealthy-after: must be more than 0 (use e.g. 30s, 5m, PT1M)",
                "poller.proxy: invalid proxy 'socks5://proxy:1080' (expected http://[user:password@]host:port)",
                "transitions.session-timeout: must be between 6s and 30m (the brokers' default "
                        + "group.min/max.session.timeout.ms), got PT0S",
                "logging.format: unknown value 'xml' (one of text, json)");
    }

    @Test
    void shouldBindNotifyRulesWithNestedWebhookAndRetry() {
        TaskwatchConfig config = ConfigLoader.parse("""
                notify:
                  group-id: tw-hooks
                  rules:
                    - name: failures
                      event-types: [failed, CANCELED]
                      services: [DDS]
                      instance-names: ["prod-*"]
                      include-backfill: true
                      webhook:
                        url: https://hooks.example.com/x
                        headers: {X-Api-Key: "${HOOK_KEY}"}
                        secret: ${HOOK_SECRET}
                      retry: {max-attempts: 3, initial-backoff: 2s}
                    - name: everything
                      webhook: {url: "http://localhost:9000/"}
                """, Map.of("HOOK_KEY", "key-value", "HOOK_SECRET", "hmac-value"));

        assertThat(config.notifications().groupId()).isEqualTo("tw-hooks");
        NotifyRule failures = config.notifications().rules().get(0);
        assertThat(failures.eventTypes()).containsExactly("FAILED", "CANCELED");
        assertThat(failures.services()).containsExactly("dds");
        assertThat(failures.instanceNames()).containsExactly("prod-*");
        assertThat(failures.includeBackfill()).isTrue();
        assertThat(failures.webhook().url()).isEqualTo(URI.create("https://hooks.example.com/x"));
        assertThat(failures.webhook().headers()).containsExactly(Map.entry("X-Api-Key", "key-value"));
        assertThat(failures.webhook().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(failures.webhook().secret()).isEqualTo("hmac-value");
        assertThat(failures.retry()).isEqualTo(new NotifyConfig.Retry(3, Duration.ofMinutes(10),
                Duration.ofSeconds(2), Duration.ofMinutes(1)));
        NotifyRule everything = config.notifications().rules().get(1);
        assertThat(everything.eventTypes()).containsExactly("STARTED", "PROGRESSED", "COMPLETED", "FAILED",
                "CANCELED");
        assertThat(everything.includeBackfill()).isFalse();
        assertThat(everything.retry()).isEqualTo(NotifyConfig.Retry.DEFAULT);
        assertThat(config.toString()).doesNotContain("key-value", "hmac-value");
    }

    @Test
    void shouldReportBadNotifyRulesWithTheirIndexedPaths() {
        assertThat(problemsOf("""
                notify:
                  rules:
                    - name: a
                      event-types: [EXPLODED]
                      webhook: {url: "ftp://files/x"}
                    - name: a
                      webhook: {url: "https://h/", timeot: 5s, headers: {X-Key: "v\\nInjected: 1"}}
                      retry: {max-attempts: 0, initial-backoff: 5m}
                    - webhook: {}
                """)).containsExactly(
                "notify.rules[0].webhook.url: invalid URL 'ftp://files/x' (expected http(s)://host[:port][/path])",
                "notify.rules[0].event-types: unknown event type 'EXPLODED' (any of STARTED, PROGRESSED, COMPLETED,"
                        + " FAILED, CANCELED)",
                "notify.rules[1].webhook.timeot: unknown key (did you mean timeout?)",
                "notify.rules[1].webhook.headers.X-Key: contains a line break or another control character, which"
                        + " cannot be sent in an HTTP header (value not shown)",
                "notify.rules[1].retry.max-attempts: must be at least 1, got 0",
                "notify.rules[2].webhook.url: missing (http or https URL of the receiver)",
                "notify.rules[2].name: missing (every rule needs a unique name)");
    }

    @Test
    void shouldReportDuplicateNotifyRuleNames() {
        assertThat(problemsOf("""
                notify:
                  rules:
                    - {name: a, webhook: {url: "https://h/"}}
                    - {name: a, webhook: {url: "https://h/"}}
                """)).containsExactly("notify.rules[1].name: duplicate rule name 'a'");
    }
}
