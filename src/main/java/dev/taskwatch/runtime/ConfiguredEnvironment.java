package dev.taskwatch.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import dev.taskwatch.Urls;
import dev.taskwatch.config.ConfigException;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.config.TaskwatchConfig.CredentialConfig;
import dev.taskwatch.config.TaskwatchConfig.TargetConfig;
import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.RateLimit;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.serde.SchemaRegistryClient;
import dev.taskwatch.serde.SchemaRegistryClients;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Authenticators;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kong.unirest.core.UnirestInstance;

/**
 * The production environment: Kafka, the schema registry and the targets exactly as configured; nothing is started
 * and nothing is written to disk. A setting the command needs but the configuration lacks is a configuration error
 * naming the key. Its parts are public so that the embedded environment uses the configured ones as they are.
 */
public final class ConfiguredEnvironment implements Environment {

    private final TaskwatchConfig config;
    private Map<String, Object> serdeConfig;

    public ConfiguredEnvironment(TaskwatchConfig config) {
        this.config = config;
    }

    @Override
    public void start(List<String> banner) {
        banner.add(kafkaBanner(bootstrapServers()));
        serdeConfig = configuredSerdeConfig(config);
        banner.add(registryBanner(config));
    }

    @Override
    public String bootstrapServers() {
        return require(config.kafka().bootstrapServers(), "kafka.bootstrap-servers");
    }

    @Override
    public Map<String, Object> serdeConfig() {
        if (serdeConfig == null) {
            throw new IllegalStateException("serdeConfig() before start()");
        }
        return serdeConfig;
    }

    @Override
    public TaskSources taskSources(UnirestInstance http, Clock clock, List<String> banner,
            MeterRegistry registry) {
        if (!config.targetsConfigured()) {
            throw missing("targets");
        }
        return configuredTaskSources(config, http, clock, registry);
    }

    @Override
    public Path defaultStateDir() {
        return null;
    }

    @Override
    public void close() {}

    public static String kafkaBanner(String bootstrapServers) {
        return "Kafka:           " + Urls.redact(bootstrapServers);
    }

    public static String registryBanner(TaskwatchConfig config) {
        return "Schema registry: " + Urls.redact(config.schemaRegistry().url());
    }

    /**
     * The serde configuration of a configured registry, with one client instance shared by every serde of the process
     * (one cache, one HTTP client).
     */
    public static Map<String, Object> configuredSerdeConfig(TaskwatchConfig config) {
        require(config.schemaRegistry().url(), "schema-registry.url");
        Map<String, Object> serde = new HashMap<>(config.schemaRegistry().serdeConfig(null));
        SchemaRegistryClient client = SchemaRegistryClients.create(new AvroSerdeConfig(serde));
        // Checked now, like Kafka: an unreachable registry would otherwise surface minutes later as a poller that
        // cannot publish. Throws SchemaRegistryUnavailableException (exit 3) after the client's retries.
        client.getCompatibility(null);
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, client);
        return serde;
    }

    /** The configured targets, each with its dialect and authenticator, and each credential's budget. */
    public static TaskSources configuredTaskSources(TaskwatchConfig config, UnirestInstance http, Clock clock,
            MeterRegistry registry) {
        List<PolledTarget> targets = new ArrayList<>();
        Map<String, RateLimit> rateLimits = new HashMap<>();
        for (TargetConfig tc : config.targets()) {
            Target target = tc.target();
            CredentialConfig credential = config.credentialsOf(target);
            targets.add(new PolledTarget(target, tc.dialect(), Authenticators.create(
                    config.credentialsFor(tc), target.region(), target.projectId(), http, clock, registry),
                    tc.pageSize()));
            rateLimits.put(target.credentials(), new RateLimit(credential.requestsPerSecond()));
        }
        return new TaskSources(targets, rateLimits);
    }

    private static String require(String value, String key) {
        if (value == null) {
            throw missing(key);
        }
        return value;
    }

    private static ConfigException missing(String key) {
        return new ConfigException(key + ": required by this command (it starts nothing embedded); use "
                + "`taskwatch run` for the embedded default");
    }
}
