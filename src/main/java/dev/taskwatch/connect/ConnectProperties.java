package dev.taskwatch.connect;

import dev.taskwatch.config.ConfigKeys;
import dev.taskwatch.config.Setting;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which connector properties belong to Kafka Connect itself (never bound as taskwatch keys) and which hold secrets
 * (never echoed back by {@code validate}). Connect's own names are listed here because connect-runtime, which defines
 * them, is not on a plugin's classpath at compile time.
 */
final class ConnectProperties {

    private static final Set<String> FRAMEWORK = Set.of("name", "connector.class", "tasks.max", "tasks.max.enforce",
            "key.converter", "value.converter", "header.converter", "config.action.reload", "transforms",
            "predicates", "exactly.once.support", "transaction.boundary", "transaction.boundary.interval.ms",
            "offsets.storage.topic", "connector.plugin.version", "key.converter.plugin.version",
            "value.converter.plugin.version", "header.converter.plugin.version", "task.class");
    private static final List<String> FRAMEWORK_PREFIXES = List.of("key.converter.", "value.converter.",
            "header.converter.", "transforms.", "predicates.", "errors.", "topic.creation.", "producer.override.",
            "consumer.override.", "admin.override.");

    private ConnectProperties() {}

    /** Whether {@code name} is one of Connect's own connector properties rather than a taskwatch key path. */
    static boolean isFramework(String name) {
        return FRAMEWORK.contains(name) || FRAMEWORK_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /**
     * Whether the value of {@code name} is a secret: a key declared secret in the table of settings (a credential's
     * token, password and keys, the registry's credentials, store passwords, webhook secrets and headers); Kafka
     * client properties that carry passwords or JAAS configuration; and, for a name the table does not know (a
     * misspelt key), one whose last part sounds like a secret.
     */
    static boolean isSecret(String name) {
        if (name.startsWith(ConfigKeys.KAFKA_PROPERTIES + ".")) {
            String rest = name.substring(ConfigKeys.KAFKA_PROPERTIES.length() + 1).toLowerCase(Locale.ROOT);
            return rest.contains("password") || rest.contains("jaas") || rest.contains("secret")
                    || rest.contains("token") || rest.endsWith(".key");
        }
        return ConfigKeys.setting(name).map(Setting::secret).orElseGet(() -> {
            String last = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            return last.contains("password") || last.contains("secret") || last.contains("token")
                    || last.contains("key") || last.contains("user-info");
        });
    }
}
