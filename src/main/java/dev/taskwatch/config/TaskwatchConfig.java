package dev.taskwatch.config;

import dev.taskwatch.Urls;
import dev.taskwatch.model.Topics;
import dev.taskwatch.poller.PollerSettings;
import dev.taskwatch.poller.RateLimit;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.taskcenter.CloudProfile;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TaskCenterDialect;
import dev.taskwatch.taskcenter.auth.Credentials;
import dev.taskwatch.transitions.TransitionSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated configuration, immutable: the one model the YAML file and flat connector properties bind into.
 * Sections a component owns bind straight into that component's settings record ({@link PollerSettings},
 * {@link TransitionSettings}); the others are the records below, which hold typed values and know no key paths:
 * each key's default and rule is declared once, in {@link Settings}, and checked before a record is built.
 * {@link #defaults()} is what no file gives: embedded broker, in-process registry, no targets (the simulator).
 * {@code toString()} never shows a secret.
 */
public record TaskwatchConfig(
        KafkaConfig kafka,
        SchemaRegistryConfig schemaRegistry,
        TopicsConfig topics,
        Map<String, CredentialConfig> credentials,
        List<TargetConfig> targets,
        PollerSettings poller,
        PollerNetworkConfig pollerNetwork,
        TransitionSettings transitions,
        HttpConfig http,
        LoggingConfig logging,
        NotifyConfig notifications,
        DiscoveryConfig discovery) {

    public TaskwatchConfig {
        credentials = Collections.unmodifiableMap(new LinkedHashMap<>(credentials));
        targets = List.copyOf(targets);
        discovery = discovery == null ? DiscoveryConfig.NONE : discovery;
    }

    /** Without a {@code discovery:} section. */
    public TaskwatchConfig(KafkaConfig kafka, SchemaRegistryConfig schemaRegistry, TopicsConfig topics,
            Map<String, CredentialConfig> credentials, List<TargetConfig> targets, PollerSettings poller,
            PollerNetworkConfig pollerNetwork, TransitionSettings transitions, HttpConfig http, LoggingConfig logging,
            NotifyConfig notifications) {
        this(kafka, schemaRegistry, topics, credentials, targets, poller, pollerNetwork, transitions, http, logging,
                notifications, DiscoveryConfig.NONE);
    }

    public static TaskwatchConfig defaults() {
        return new TaskwatchConfig(KafkaConfig.DEFAULT, SchemaRegistryConfig.DEFAULT, TopicsConfig.DEFAULT, Map.of(),
                List.of(), PollerSettings.defaults(), PollerNetworkConfig.DEFAULT, TransitionSettings.defaults(),
                HttpConfig.DEFAULT, LoggingConfig.DEFAULT, NotifyConfig.DEFAULT, DiscoveryConfig.NONE);
    }

    /** False means embedded mode for Kafka: {@code taskwatch run} starts the in-process broker. */
    public boolean kafkaConfigured() {
        return kafka.bootstrapServers() != null;
    }

    /** False means the in-process schema registry. */
    public boolean schemaRegistryConfigured() {
        return schemaRegistry.url() != null;
    }

    /** False means the built-in simulator is the task source: neither targets nor discovery are configured. */
    public boolean targetsConfigured() {
        return !targets.isEmpty() || discovery.enabled();
    }

    /** Production mode: nothing embedded starts. */
    public boolean production() {
        return kafkaConfigured() && schemaRegistryConfigured();
    }

    /** The credential of a target (validation guarantees it exists). */
    public CredentialConfig credentialsOf(Target target) {
        return credentials.get(target.credentials());
    }

    /**
     * @param bootstrapServers null when not configured (embedded broker)
     * @param properties       passthrough Kafka client and Streams properties ({@code kafka.properties}), values as
     *                         strings, nested YAML mappings joined with dots
     */
    public record KafkaConfig(String bootstrapServers, Map<String, String> properties) {
        static final KafkaConfig DEFAULT = new KafkaConfig(null, Map.of());

        public KafkaConfig {
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }

        /**
         * The passthrough properties plus {@code bootstrap.servers}: the configured servers, else
         * {@code embeddedBootstrapServers} (the in-process broker's address).
         */
        public Map<String, Object> clientProperties(String embeddedBootstrapServers) {
            Map<String, Object> client = new LinkedHashMap<>(properties);
            client.put("bootstrap.servers", bootstrapServers != null ? bootstrapServers : embeddedBootstrapServers);
            return client;
        }

        @Override
        public String toString() {
            // values may hold sasl.jaas.config passwords or ssl key passwords
            return "KafkaConfig[bootstrapServers=" + bootstrapServers + ", properties=" + properties.keySet() + "]";
        }
    }

    /**
     * @param url        null when not configured (in-process registry); auth fields null when unused
     * @param trustStore {@code schema-registry.ssl.trust-store*}, null for the JVM's default trust
     * @param keyStore   {@code schema-registry.ssl.key-store*} (mutual TLS), null when unused
     */
    public record SchemaRegistryConfig(String url, String basicAuthUserInfo, String bearerToken,
            KeyStoreConfig trustStore, KeyStoreConfig keyStore) {
        static final SchemaRegistryConfig DEFAULT = new SchemaRegistryConfig(null, null, null, null, null);

        /**
         * The serde configuration ({@link AvroSerdeConfig} keys): the configured URL, else {@code fallbackUrl}
         * (e.g. {@code mock://taskwatch} or the in-process registry), plus whichever authentication is set.
         */
        public Map<String, Object> serdeConfig(String fallbackUrl) {
            Map<String, Object> serde = new LinkedHashMap<>();
            serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url != null ? url : fallbackUrl);
            if (basicAuthUserInfo != null) {
                serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, basicAuthUserInfo);
            }
            if (bearerToken != null) {
                serde.put(AvroSerdeConfig.BEARER_AUTH_TOKEN, bearerToken);
            }
            if (trustStore != null) {
                serde.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, trustStore.path().toString());
                putIfSet(serde, AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, trustStore.password());
                serde.put(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, trustStore.type());
            }
            if (keyStore != null) {
                serde.put(AvroSerdeConfig.SSL_KEYSTORE_LOCATION, keyStore.path().toString());
                putIfSet(serde, AvroSerdeConfig.SSL_KEYSTORE_PASSWORD, keyStore.password());
                serde.put(AvroSerdeConfig.SSL_KEYSTORE_TYPE, keyStore.type());
            }
            return serde;
        }

        private static void putIfSet(Map<String, Object> serde, String key, String value) {
            if (value != null) {
                serde.put(key, value);
            }
        }

        @Override
        public String toString() {
            return "SchemaRegistryConfig[url=" + Urls.redact(url) + ", basicAuthUserInfo="
                    + (basicAuthUserInfo == null ? null : "****") + ", bearerToken="
                    + (bearerToken == null ? null : "****") + ", trustStore=" + trustStore + ", keyStore=" + keyStore
                    + "]";
        }
    }

    /** A key or trust store file; {@code type} defaults to {@value #DEFAULT_TYPE}. */
    public record KeyStoreConfig(Path path, String password, String type) {
        public static final String DEFAULT_TYPE = "PKCS12";

        public KeyStoreConfig {
            type = type == null ? DEFAULT_TYPE : type;
        }

        @Override
        public String toString() {
            return "KeyStoreConfig[path=" + path + ", password=" + (password == null ? null : "****") + ", type="
                    + type + "]";
        }
    }

    /** @param replicationFactor -1 means the broker default */
    public record TopicsConfig(String prefix, int partitions, int replicationFactor, boolean create) {
        static final TopicsConfig DEFAULT = new TopicsConfig(Settings.TOPICS_PREFIX.defaultValue(),
                Settings.TOPICS_PARTITIONS.defaultValue(), Settings.TOPICS_REPLICATION.defaultValue(),
                Settings.TOPICS_CREATE.defaultValue());

        public Topics names() {
            return new Topics(prefix);
        }
    }

    /**
     * A named credential and the request rate allowed with it (shared by every target that uses it).
     *
     * @param cloud the cloud the credential belongs to ({@code credentials.<name>.cloud}), null when not said: its
     *              targets then say it, or are on Open Telekom Cloud
     */
    public record CredentialConfig(Credentials credentials, RateLimit rateLimit, CloudProfile cloud) {
        public CredentialConfig(Credentials credentials, RateLimit rateLimit) {
            this(credentials, rateLimit, null);
        }
    }

    /**
     * @param pageSize the list page size, null for the dialect's default
     * @param cloud    the target's cloud ({@code targets[].cloud}, else its credential's, else Open Telekom Cloud):
     *                 the default endpoint, the IAM endpoint and the service paths come from it
     */
    public record TargetConfig(Target target, Integer pageSize, CloudProfile cloud) {
        public TargetConfig {
            java.util.Objects.requireNonNull(cloud, "cloud");
        }

        /** {@code targets[].lookback}'s default, which discovered targets use too. */
        public static Duration defaultLookback() {
            return Settings.TARGET_LOOKBACK.defaultValue();
        }

        public TargetConfig(Target target, Integer pageSize) {
            this(target, pageSize, CloudProfile.OTC);
        }

        /** The dialect of the target's service on its cloud. */
        public TaskCenterDialect dialect() {
            return Dialects.of(target.service(), cloud);
        }
    }

    /**
     * The credentials a target authenticates with: its credential's, where a password credential without an
     * {@code iam-endpoint} gets the IAM endpoint of the target's cloud and region (Open Telekom Cloud's stays implied,
     * as before).
     */
    public Credentials credentialsFor(TargetConfig target) {
        Credentials credentials = credentialsOf(target.target()).credentials();
        if (credentials instanceof Credentials.Password p && p.iamEndpoint() == null
                && target.cloud() != CloudProfile.OTC) {
            return new Credentials.Password(p.name(), p.user(), p.password(), p.domain(),
                    target.cloud().iamEndpoint(target.target().region()).toString());
        }
        return credentials;
    }

    /**
     * The poller's network settings (what its HTTP client and readiness need), from the {@code poller:} section.
     *
     * @param maxResponseSize {@code poller.max-response-size}: a task-center body larger than this is malformed
     * @param unhealthyAfter  {@code poller.unhealthy-after}: a target failing for longer is reported by /health/ready
     * @param proxy           {@code poller.proxy}: {@code http://[user:pass@]host:port}, null for none
     * @param nonProxyHosts   {@code poller.non-proxy-hosts}: host globs reached without the proxy
     * @param trustStore      {@code poller.trust-store*}: trust for the task centers and IAM, null for the JVM's
     */
    public record PollerNetworkConfig(long maxResponseSize, Duration unhealthyAfter, URI proxy,
            List<String> nonProxyHosts, KeyStoreConfig trustStore) {
        static final PollerNetworkConfig DEFAULT = new PollerNetworkConfig(
                Settings.POLLER_MAX_RESPONSE_SIZE.defaultValue(), Settings.POLLER_UNHEALTHY_AFTER.defaultValue(), null,
                List.of(), null);

        public PollerNetworkConfig {
            nonProxyHosts = List.copyOf(nonProxyHosts);
        }

        /** The task-center and IAM client's connection settings (proxy, trust store). */
        public dev.taskwatch.http.HttpClientSettings clientSettings() {
            dev.taskwatch.http.HttpClientSettings settings = dev.taskwatch.http.HttpClientSettings.defaults()
                    .withProxy(proxy, nonProxyHosts);
            return trustStore == null ? settings
                    : settings.withTrustStore(trustStore.path(), trustStore.password(), trustStore.type());
        }

        @Override
        public String toString() {
            return "PollerNetworkConfig[maxResponseSize=" + DataSizes.format(maxResponseSize) + ", unhealthyAfter="
                    + unhealthyAfter + ", proxy=" + (proxy == null ? null : Urls.redact(proxy.toString()))
                    + ", nonProxyHosts=" + nonProxyHosts + ", trustStore=" + trustStore + "]";
        }
    }

    /**
     * @param host the ops server's bind address; {@code 0.0.0.0} (all interfaces) by default because container
     *             probes reach a pod on its own address
     * @param port 0 disables the ops HTTP server
     */
    public record HttpConfig(String host, int port) {
        static final HttpConfig DEFAULT = new HttpConfig(Settings.HTTP_HOST.defaultValue(),
                Settings.HTTP_PORT.defaultValue());

        public boolean enabled() {
            return port != 0;
        }
    }

    /** @param format {@code text} or {@code json} (one JSON object per line) */
    public record LoggingConfig(String format) {
        static final LoggingConfig DEFAULT = new LoggingConfig(Settings.LOGGING_FORMAT.defaultValue());

        public boolean json() {
            return format.equals("json");
        }
    }
}
