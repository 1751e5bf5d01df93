package dev.taskwatch.connect;

import dev.taskwatch.config.ConfigProblem;
import dev.taskwatch.config.ConfigProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * taskwatch's poller as a Kafka Connect source connector: the same targets, credentials, dialects, normalisation and
 * budget-aware scheduler as {@code taskwatch poll}, configured with the YAML's key paths flattened
 * ({@code targets[0].service}, {@code credentials.prod.secret-key}, {@code topics.prefix}, {@code schema-registry.url},
 * {@code kafka.bootstrap-servers} for the watch-requests topic). Each {@link TaskwatchSourceTask} owns whole
 * credentials ({@link TaskAssignment}), so a credential's request budget holds across the cluster.
 *
 * <p>Secrets come through the worker's config providers ({@code ${env:VAR}}, {@code ${file:/path:key}}): the worker
 * resolves them before {@link #start} and in each task's configuration; {@link #validate} never echoes a secret.
 */
public final class TaskwatchSourceConnector extends SourceConnector {

    private Map<String, String> props = Map.of();

    /** The jar's {@code Implementation-Version} ({@link PluginVersion}), which the build writes. */
    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        // Failing here (not in the task) puts the one-line problems on the connector's status in the REST API.
        ConfigProperties.bind(props, ConnectProperties::isFramework);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return TaskwatchSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return TaskAssignment.split(props, maxTasks);
    }

    @Override
    public void stop() {}

    /**
     * The keys with a fixed name, from the table of settings ({@link SettingsConfigDef}). Targets
     * ({@code targets[i].*}) and credentials ({@code credentials.<name>.*}) are named by the user and cannot be
     * declared here; {@link #validate} still checks them and reports each by its key.
     */
    @Override
    public ConfigDef config() {
        return SettingsConfigDef.build();
    }

    /**
     * Connect's checks of the declared keys, then taskwatch's own binding of every property: each problem is attached
     * to its key (creating an entry for user-named keys such as {@code targets[2].region}) with the same one-line
     * message as the YAML. Values of secret keys are never returned, and a message that would contain a secret's
     * value is masked.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config declared = super.validate(connectorConfigs);
        Map<String, ConfigValue> byKey = new LinkedHashMap<>();
        for (ConfigValue v : declared.configValues()) {
            byKey.put(v.name(), v);
        }
        List<String> secrets = new ArrayList<>();
        connectorConfigs.forEach((k, v) -> {
            if (ConnectProperties.isSecret(k) && v != null && !v.isEmpty()) {
                secrets.add(v);
            }
        });
        Map<String, String> ours = new HashMap<>(connectorConfigs);
        for (ConfigProblem problem : ConfigProperties.validate(ours, ConnectProperties::isFramework)) {
            String message = mask(problem.message(), secrets);
            ConfigValue value = byKey.computeIfAbsent(problem.key(), ConfigValue::new);
            if (!value.errorMessages().contains(message)) {
                value.addErrorMessage(message);
            }
        }
        return new Config(new ArrayList<>(byKey.values()));
    }

    private static String mask(String message, List<String> secrets) {
        String masked = message;
        for (String secret : secrets) {
            masked = masked.replace(secret, "[hidden]");
        }
        return masked;
    }

    /** Per-poll transactions (the worker's default): see {@link TaskwatchSourceTask} for why that is enough. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.UNSUPPORTED;
    }
}
