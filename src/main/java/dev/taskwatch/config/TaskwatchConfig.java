package dev.taskwatch.config;

import dev.taskwatch.Topics;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration, immutable. Built by {@link ConfigLoader}; {@link #defaults()} is what an empty file
 * gives: embedded broker, in-process registry, no targets (the simulator), every default of CONVENTIONS.md.
 * {@code toString()} never shows a secret (credentials are masked, passthrough Kafka property values are hidden).
 */
public record TaskwatchConfig(
        KafkaConfig kafka,
        SchemaRegistryConfig schemaRegistry,
        TopicsConfig topics,
        Map<String, CredentialConfig> credentials,
        List<TargetConfig> targets,
        PollerConfig poller,
        TransitionsConfig transitions,
        HttpConfig http) {

    public TaskwatchConfig {
        credentials = Collections.unmodifiableMap(new LinkedHashMap<>(credentials));
        targets = List.copyOf(targets);
    }

    public static TaskwatchConfig defaults() {
        return new TaskwatchConfig(KafkaConfig.DEFAULT, SchemaRegistryConfig.DEFAULT, TopicsConfig.DEFAULT, Map.of(),
                List.of(), PollerConfig.DEFAULT, TransitionsConfig.DEFAULT, HttpConfig.DEFAULT);
    }

    /** False means embedded mode for Kafka: {@code taskwatch run} starts the in-process broker. */
    public boolean kafkaConfigured() {
        return kafka.bootstrapServers() != null;
    }

    /** False means the in-process schema registry. */
    public boolean schemaRegistryConfigured() {
        return schemaRegistry.url() != null;
    }

    /** False means the built-in simulator is the task source. */
    public boolean targetsConfigured() {
        return !targets.isEmpty();
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

    /** @param url null when not configured (in-process registry); auth fields null when unused */
    public record SchemaRegistryConfig(String url, String basicAuthUserInfo, String bearerToken) {
        static final SchemaRegistryConfig DEFAULT = new SchemaRegistryConfig(null, null, null);

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
            return serde;
        }

        @Override
        public String toString() {
            return "SchemaRegistryConfig[url=" + url + ", basicAuthUserInfo=" + (basicAuthUserInfo == null ? null
                    : "****") + ", bearerToken=" + (bearerToken == null ? null : "****") + "]";
        }
    }

    /** @param replicationFactor -1 means the broker default */
    public record TopicsConfig(String prefix, int partitions, int replicationFactor, boolean create) {
        static final TopicsConfig DEFAULT = new TopicsConfig(Topics.DEFAULT_PREFIX, 6, -1, true);

        public Topics names() {
            return new Topics(prefix);
        }
    }

    /** A named credential and the request rate allowed with it (shared by every target that uses it). */
    public record CredentialConfig(Credentials credentials, double requestsPerSecond) {
        static final double DEFAULT_REQUESTS_PER_SECOND = 1.0;
    }

    /** @param pageSize the list page size, null for the dialect's default */
    public record TargetConfig(Target target, Integer pageSize) {
        public Optional<Integer> pageSizeIfSet() {
            return Optional.ofNullable(pageSize);
        }
    }

    public record PollerConfig(Duration requestTimeout, int maxPagesPerCycle, Duration watchNotFoundGrace,
            Duration backoffMax, double jitter) {
        static final PollerConfig DEFAULT = new PollerConfig(Duration.ofSeconds(10), 50, Duration.ofSeconds(60),
                Duration.ofMinutes(5), 0.2);
    }

    /**
     * @param stateDir       null for the Streams default (or the runtime's data directory)
     * @param commitInterval null for the Streams default
     */
    public record TransitionsConfig(String applicationId, Duration stateRetention, Duration backfillThreshold,
            boolean progressEvents, String processingGuarantee, Path stateDir, Duration commitInterval) {
        static final TransitionsConfig DEFAULT = new TransitionsConfig("taskwatch-transitions", Duration.ofDays(35),
                Duration.ofMinutes(10), true, "exactly_once_v2", null, null);
    }

    /** @param port 0 disables the ops HTTP server */
    public record HttpConfig(int port) {
        static final HttpConfig DEFAULT = new HttpConfig(8080);

        public boolean enabled() {
            return port != 0;
        }
    }
}
