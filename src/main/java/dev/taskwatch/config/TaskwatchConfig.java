package dev.taskwatch.config;

import dev.taskwatch.Urls;
import dev.taskwatch.model.Topics;
import dev.taskwatch.poller.PollerSettings;
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
 * {@link TransitionSettings}); the others are the records below. Each default and each range rule is written once, in
 * the record of its setting ({@code DEFAULT} constants and compact constructors); domain limits come from
 * {@link dev.taskwatch.taskcenter.Service}. {@link #defaults()} is what no file gives: embedded broker, in-process
 * registry, no targets (the simulator). {@code toString()} never shows a secret.
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
            if (properties.containsKey("bootstrap.servers")) {
                throw new IllegalArgumentException(
                        "kafka.properties.bootstrap.servers: set kafka.bootstrap-servers instead");
            }
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

        public SchemaRegistryConfig {
            List<String> problems = new ArrayList<>();
            if (Rules.headerUnsafe(basicAuthUserInfo)) {
                problems.add(Rules.headerUnsafeProblem("schema-registry.basic-auth-user-info"));
            }
            if (Rules.headerUnsafe(bearerToken)) {
                problems.add(Rules.headerUnsafeProblem("schema-registry.bearer-token"));
            }
            Rules.check(problems);
        }

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
        static final TopicsConfig DEFAULT = new TopicsConfig(Topics.DEFAULT_PREFIX, 6, -1, true);

        public TopicsConfig {
            List<String> problems = new ArrayList<>();
            if (partitions < 1) {
                problems.add("topics.partitions: must be at least 1, got " + partitions);
            }
            if (replicationFactor == 0 || replicationFactor < -1) {
                problems.add("topics.replication-factor: must be -1 (broker default) or at least 1, got "
                        + replicationFactor);
            }
            Rules.check(problems);
        }

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
    public record CredentialConfig(Credentials credentials, double requestsPerSecond, CloudProfile cloud) {
        static final double DEFAULT_REQUESTS_PER_SECOND = 1.0;

        public CredentialConfig(Credentials credentials, double requestsPerSecond) {
            this(credentials, requestsPerSecond, null);
        }
    }

    /**
     * @param pageSize the list page size, null for the dialect's default
     * @param cloud    the target's cloud ({@code targets[].cloud}, else its credential's, else Open Telekom Cloud):
     *                 the default endpoint, the IAM endpoint and the service paths come from it
     */
    public record TargetConfig(Target target, Integer pageSize, CloudProfile cloud) {
        static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
        static final Duration DEFAULT_ACTIVE_INTERVAL = Duration.ofSeconds(5);
        static final Duration DEFAULT_LOOKBACK = Duration.ofDays(7);

        public TargetConfig {
            java.util.Objects.requireNonNull(cloud, "cloud");
        }

        /** {@code targets[].lookback}'s default, which discovered targets use too. */
        public static Duration defaultLookback() {
            return DEFAULT_LOOKBACK;
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
        static final PollerNetworkConfig DEFAULT = new PollerNetworkConfig(10L << 20, Duration.ofMinutes(2), null,
                List.of(), null);

        public PollerNetworkConfig {
            nonProxyHosts = List.copyOf(nonProxyHosts);
            List<String> problems = new ArrayList<>();
            if (maxResponseSize < 1) {
                problems.add("poller.max-response-size: must be more than 0 " + DataSizes.HINT);
            }
            Rules.positive(problems, "poller.unhealthy-after", unhealthyAfter);
            if (proxy != null && (!"http".equalsIgnoreCase(proxy.getScheme()) || proxy.getHost() == null
                    || proxy.getPort() < 1)) {
                problems.add("poller.proxy: invalid proxy '" + Urls.redact(proxy.toString())
                        + "' (expected http://[user:password@]host:port)");
            }
            Rules.check(problems);
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
        static final HttpConfig DEFAULT = new HttpConfig("0.0.0.0", 8080);

        public HttpConfig {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("http.port: must be 0 (disabled) to 65535, got " + port);
            }
        }

        public boolean enabled() {
            return port != 0;
        }
    }

    /** @param format {@code text} or {@code json} (one JSON object per line) */
    public record LoggingConfig(String format) {
        static final List<String> FORMATS = List.of("text", "json");
        static final LoggingConfig DEFAULT = new LoggingConfig("text");

        public LoggingConfig {
            if (!FORMATS.contains(format)) {
                throw new IllegalArgumentException("logging.format: unknown value '" + format + "' (one of "
                        + String.join(", ", FORMATS) + ")");
            }
        }

        public boolean json() {
            return format.equals("json");
        }
    }
}
