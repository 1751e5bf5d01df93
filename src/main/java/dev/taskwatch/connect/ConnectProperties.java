package dev.taskwatch.connect;

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
     * Whether the value of {@code name} is a secret: a credential's token, password, keys; the registry's
     * credentials and store passwords; Kafka client properties that carry passwords or JAAS configuration.
     */
    static boolean isSecret(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (name.startsWith("kafka.properties.")) {
            String rest = name.substring("kafka.properties.".length()).toLowerCase(Locale.ROOT);
            return rest.contains("password") || rest.contains("jaas") || rest.contains("secret")
                    || rest.contains("token") || rest.endsWith(".key");
        }
        if (name.startsWith("credentials.")) {
            return Set.of("token", "password", "access-key", "secret-key", "security-token").contains(last);
        }
        return last.endsWith("password") || last.equals("basic-auth-user-info") || last.equals("bearer-token")
                || last.equals("secret") || name.startsWith("notify.rules") && name.contains(".webhook.headers.");
    }
}
