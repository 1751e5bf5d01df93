package dev.taskwatch.config;

import static dev.taskwatch.config.Settings.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwatch.config.NotifyConfig.NotifyRule;
import dev.taskwatch.config.NotifyConfig.Retry;
import dev.taskwatch.config.NotifyConfig.Webhook;
import dev.taskwatch.config.TaskwatchConfig.CredentialConfig;
import dev.taskwatch.config.TaskwatchConfig.HttpConfig;
import dev.taskwatch.config.TaskwatchConfig.KafkaConfig;
import dev.taskwatch.config.TaskwatchConfig.KeyStoreConfig;
import dev.taskwatch.config.TaskwatchConfig.LoggingConfig;
import dev.taskwatch.config.TaskwatchConfig.PollerNetworkConfig;
import dev.taskwatch.config.TaskwatchConfig.SchemaRegistryConfig;
import dev.taskwatch.config.TaskwatchConfig.TargetConfig;
import dev.taskwatch.config.TaskwatchConfig.TopicsConfig;
import dev.taskwatch.poller.PollerSettings;
import dev.taskwatch.transitions.TransitionSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a configuration tree (from YAML, or from flat connector properties) into {@link TaskwatchConfig}: each value
 * is read through its declaration in {@link Settings} (type, default, rule), so the records receive typed, checked
 * values. What is left here is the shape of the tree and the rules between keys; credentials and targets, which
 * refer to each other, are bound by {@link TargetsBinder}. Every problem is collected before anything starts.
 */
final class ConfigBinder {

    private final SettingReader in = new SettingReader();

    private ConfigBinder() {}

    /** @throws ConfigException listing every problem, {@code earlier} (e.g. from substitution) first */
    static TaskwatchConfig bind(ObjectNode root, List<String> earlier) {
        ConfigBinder binder = new ConfigBinder();
        earlier.forEach(binder.in::problem);
        TaskwatchConfig config = binder.build(root);
        if (binder.in.problemCount() > 0) {
            throw new ConfigException(binder.in.problems());
        }
        return config;
    }

    private TaskwatchConfig build(ObjectNode root) {
        in.checkKeys(root, "", "");
        TaskwatchConfig d = TaskwatchConfig.defaults();
        KafkaConfig kafka = or(kafka(in.section(root, "kafka")), d.kafka());
        SchemaRegistryConfig registry = schemaRegistry(in.section(root, "schema-registry"));
        TopicsConfig topics = topics(in.section(root, "topics"));
        TargetsBinder targetsBinder = new TargetsBinder(in);
        Map<String, CredentialConfig> credentials = targetsBinder.credentials(root.get("credentials"));
        List<TargetConfig> targets = targetsBinder.targets(root.get("targets"), credentials);
        DiscoveryConfig discovery = discovery(in.section(root, "discovery"), credentials);
        ObjectNode pollerNode = in.section(root, "poller");
        PollerSettings poller = poller(pollerNode);
        PollerNetworkConfig network = pollerNetwork(pollerNode);
        TransitionSettings transitions = transitions(in.section(root, "transitions"));
        ObjectNode http = in.section(root, "http");
        HttpConfig httpConfig = new HttpConfig(in.read(http, "http", HTTP_HOST), in.read(http, "http", HTTP_PORT));
        LoggingConfig logging = new LoggingConfig(in.read(in.section(root, "logging"), "logging", LOGGING_FORMAT));
        NotifyConfig notify = notify(in.section(root, "notify"));
        return new TaskwatchConfig(kafka, registry, topics, credentials, targets, poller, network, transitions,
                httpConfig, logging, notify, discovery);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private KafkaConfig kafka(ObjectNode node) {
        String bootstrap = in.read(node, "kafka", KAFKA_BOOTSTRAP_SERVERS);
        Map<String, String> properties = in.freeMap(node.get("properties"), ConfigKeys.KAFKA_PROPERTIES,
                "a mapping of Kafka client properties");
        if (properties.containsKey("bootstrap.servers")) {
            in.problem("kafka.properties.bootstrap.servers: set kafka.bootstrap-servers instead");
            return null;
        }
        return new KafkaConfig(bootstrap, properties);
    }

    private SchemaRegistryConfig schemaRegistry(ObjectNode node) {
        String path = "schema-registry";
        URI url = in.read(node, path, REGISTRY_URL);
        ObjectNode ssl = in.section(node, "schema-registry.ssl");
        KeyStoreConfig trust = in.store(ssl, "schema-registry.ssl", REGISTRY_TRUST_STORE,
                REGISTRY_TRUST_STORE_PASSWORD, REGISTRY_TRUST_STORE_TYPE);
        KeyStoreConfig key = in.store(ssl, "schema-registry.ssl", REGISTRY_KEY_STORE, REGISTRY_KEY_STORE_PASSWORD,
                REGISTRY_KEY_STORE_TYPE);
        return new SchemaRegistryConfig(url == null ? null : url.toString(), in.read(node, path, REGISTRY_USER_INFO),
                in.read(node, path, REGISTRY_BEARER_TOKEN), trust, key);
    }

    private TopicsConfig topics(ObjectNode node) {
        // an empty prefix is meaningful here (no prefix at all), unlike other empty values
        String prefix = node.has("prefix") && node.get("prefix").isTextual() && node.get("prefix").asText().isEmpty()
                ? "" : in.read(node, "topics", TOPICS_PREFIX);
        return new TopicsConfig(prefix, in.read(node, "topics", TOPICS_PARTITIONS),
                in.read(node, "topics", TOPICS_REPLICATION), in.read(node, "topics", TOPICS_CREATE));
    }

    private DiscoveryConfig discovery(ObjectNode node, Map<String, CredentialConfig> credentials) {
        String path = "discovery";
        List<String> names = in.read(node, path, DISCOVERY_CREDENTIALS);
        for (String name : names) {
            if (!credentials.containsKey(name)) {
                in.problem(path + ".credentials: unknown credential '" + name + "' (defined: "
                        + (credentials.isEmpty() ? "none" : String.join(", ", credentials.keySet())) + ")");
            }
        }
        if (names.isEmpty() && !node.isEmpty()) {
            in.problem(path + ".credentials: missing (the credentials whose projects are watched)");
        }
        List<String> regions = in.read(node, path, DISCOVERY_REGIONS);
        if (regions.size() == 1 && regions.get(0).equalsIgnoreCase("all")) {
            regions = List.of();
        }
        return new DiscoveryConfig(names, regions, in.read(node, path, DISCOVERY_SERVICES),
                in.read(node, path, DISCOVERY_INCLUDE), in.read(node, path, DISCOVERY_EXCLUDE),
                in.read(node, path, DISCOVERY_INTERVAL), in.read(node, path, DISCOVERY_ACTIVE_INTERVAL),
                in.read(node, path, DISCOVERY_REFRESH_INTERVAL), in.read(node, path, DISCOVERY_EMPTY_INTERVAL),
                in.read(node, path, DISCOVERY_IAM), in.read(node, path, DISCOVERY_ENDPOINT));
    }

    private PollerSettings poller(ObjectNode node) {
        String p = "poller";
        return new PollerSettings(in.read(node, p, POLLER_REQUEST_TIMEOUT),
                in.read(node, p, POLLER_MAX_PAGES), in.read(node, p, POLLER_NOT_FOUND_GRACE),
                in.read(node, p, POLLER_BACKOFF_MAX), in.read(node, p, POLLER_JITTER),
                PollerSettings.DEFAULT_BACKOFF_INITIAL, in.read(node, p, POLLER_VISIBILITY_MARGIN),
                in.read(node, p, POLLER_SWEEP_INTERVAL), in.read(node, p, POLLER_RUNNING_REFRESH));
    }

    private PollerNetworkConfig pollerNetwork(ObjectNode node) {
        long maxSize = in.read(node, "poller", POLLER_MAX_RESPONSE_SIZE);
        KeyStoreConfig trust = in.store(node, "poller", POLLER_TRUST_STORE, POLLER_TRUST_STORE_PASSWORD,
                POLLER_TRUST_STORE_TYPE);
        return new PollerNetworkConfig(maxSize, in.read(node, "poller", POLLER_UNHEALTHY_AFTER),
                in.read(node, "poller", POLLER_PROXY), in.read(node, "poller", POLLER_NON_PROXY_HOSTS), trust);
    }

    private TransitionSettings transitions(ObjectNode node) {
        String p = "transitions";
        return new TransitionSettings(in.read(node, p, TRANSITIONS_APPLICATION_ID),
                in.read(node, p, TRANSITIONS_STATE_RETENTION), in.read(node, p, TRANSITIONS_BACKFILL),
                in.read(node, p, TRANSITIONS_PROGRESS), in.read(node, p, TRANSITIONS_GUARANTEE),
                in.read(node, p, TRANSITIONS_STATE_DIR), in.read(node, p, TRANSITIONS_COMMIT),
                TransitionSettings.DEFAULT_RETENTION_SCAN_INTERVAL, in.read(node, p, TRANSITIONS_INSTANCE_ID),
                in.read(node, p, TRANSITIONS_SESSION_TIMEOUT));
    }

    private NotifyConfig notify(ObjectNode node) {
        String groupId = in.read(node, "notify", NOTIFY_GROUP_ID);
        List<NotifyRule> rules = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        List<ObjectNode> items = in.list(node.get("rules"), "notify.rules", "a list of rules");
        for (int i = 0; i < items.size(); i++) {
            NotifyRule rule = items.get(i) == null ? null : rule(items.get(i), "notify.rules[" + i + "]");
            if (rule != null && names.putIfAbsent(rule.name(), i) != null) {
                in.problem("notify.rules[" + i + "].name: duplicate rule name '" + rule.name() + "'");
            } else if (rule != null) {
                rules.add(rule);
            }
        }
        return new NotifyConfig(groupId, rules);
    }

    private NotifyRule rule(ObjectNode node, String path) {
        in.checkKeys(node, path, "notify.rules[]");
        int before = in.problemCount();
        String hookPath = path + ".webhook";
        ObjectNode hook = in.mapping(node.get("webhook"), hookPath, "notify.rules[].webhook");
        URI url = in.read(hook, hookPath, WEBHOOK_URL);
        if (url == null) {
            in.problem(hookPath + ".url: missing (http or https URL of the receiver)");
        }
        Map<String, String> headers = in.freeMap(hook.get("headers"), hookPath + ".headers",
                "a mapping of header names to values");
        headers.forEach((header, value) -> {
            if (Rules.headerUnsafe(value)) {
                in.problem(Rules.headerUnsafeProblem(hookPath + ".headers." + header));
            }
        });
        Webhook webhook = new Webhook(url, headers, in.read(hook, hookPath, WEBHOOK_TIMEOUT),
                in.read(hook, hookPath, WEBHOOK_SECRET));
        String retryPath = path + ".retry";
        ObjectNode retryNode = in.mapping(node.get("retry"), retryPath, "notify.rules[].retry");
        int beforeRetry = in.problemCount();
        int attempts = in.read(retryNode, retryPath, RETRY_MAX_ATTEMPTS);
        Duration maxDuration = in.read(retryNode, retryPath, RETRY_MAX_DURATION);
        Duration initial = in.read(retryNode, retryPath, RETRY_INITIAL_BACKOFF);
        Duration maxBackoff = in.read(retryNode, retryPath, RETRY_MAX_BACKOFF);
        // compared only when each is valid on its own, so one mistake gives one line
        if (in.problemCount() == beforeRetry && initial.compareTo(maxBackoff) > 0) {
            in.problem(retryPath + ".initial-backoff: " + Durations.format(initial) + " exceeds retry.max-backoff "
                    + Durations.format(maxBackoff));
        }
        Retry retry = new Retry(attempts, maxDuration, initial, maxBackoff);
        String name = in.read(node, path, RULE_NAME);
        if (name == null || name.isBlank()) {
            in.problem(path + ".name: missing (every rule needs a unique name)");
        }
        List<String> eventTypes = Settings.upper(in.read(node, path, RULE_EVENT_TYPES));
        List<String> services = Settings.lower(in.read(node, path, RULE_SERVICES));
        if (in.problemCount() > before) {
            return null;
        }
        return new NotifyRule(name, eventTypes, services, in.read(node, path, RULE_REGIONS),
                in.read(node, path, RULE_PROJECTS), in.read(node, path, RULE_INSTANCE_IDS),
                in.read(node, path, RULE_INSTANCE_NAMES), in.read(node, path, RULE_TASK_NAMES),
                in.read(node, path, RULE_BACKFILL), webhook, retry);
    }

    /** For {@link ConfigLoader}: how a value of the wrong shape is shown. */
    static String kind(com.fasterxml.jackson.databind.JsonNode node) {
        return SettingReader.kind(node);
    }

    static String join(String path, String key) {
        return SettingReader.join(path, key);
    }
}
