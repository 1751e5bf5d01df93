package dev.taskwatch.config;

import dev.taskwatch.Urls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import dev.taskwatch.taskcenter.CloudProfile;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import dev.taskwatch.transitions.TransitionSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Binds a configuration tree (from YAML, or from flat connector properties) into {@link TaskwatchConfig}, collecting
 * every problem as one line that starts with its key path. This class only coerces and checks structure (types,
 * unknown and missing keys, references between sections); the defaults and range rules live in the records bound
 * into, and a record's rule failure becomes a problem line here. Only the first problem of a key is kept: one broken
 * value gives one line (an unset {@code ${ENV}} is not also reported as missing).
 */
final class ConfigBinder {

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private final Map<String, String> problems = new LinkedHashMap<>();

    /** @throws ConfigException listing every problem, {@code earlier} (e.g. from substitution) first */
    static TaskwatchConfig bind(ObjectNode root, List<String> earlier) {
        ConfigBinder binder = new ConfigBinder();
        earlier.forEach(binder::problem);
        TaskwatchConfig config = binder.build(root);
        if (!binder.problems.isEmpty()) {
            throw new ConfigException(binder.problems.entrySet().stream()
                    .map(e -> new ConfigProblem(e.getKey(), e.getValue()).toString()).toList());
        }
        return config;
    }

    private void problem(String line) {
        ConfigProblem p = ConfigProblem.parse(line);
        problems.putIfAbsent(p.key(), p.message());
    }

    /** Builds a record, turning its rule failures into problems, each prefixed with {@code prefix}. */
    private <T> T rules(String prefix, Supplier<T> record) {
        try {
            return record.get();
        } catch (IllegalArgumentException e) {
            for (String line : e.getMessage().split("\n")) {
                problem(prefix + line);
            }
            return null;
        }
    }

    private TaskwatchConfig build(ObjectNode root) {
        checkKeys(root, "", "");
        TaskwatchConfig d = TaskwatchConfig.defaults();
        KafkaConfig kafka = or(kafka(section(root, "kafka")), d.kafka());
        SchemaRegistryConfig registry = or(schemaRegistry(section(root, "schema-registry")), d.schemaRegistry());
        TopicsConfig topics = or(topics(section(root, "topics")), d.topics());
        Map<String, CredentialConfig> credentials = credentials(root.get("credentials"));
        List<TargetConfig> targets = targets(root.get("targets"), credentials);
        DiscoveryConfig discovery = or(discovery(section(root, "discovery"), credentials), DiscoveryConfig.NONE);
        ObjectNode pollerNode = section(root, "poller");
        PollerSettings poller = or(poller(pollerNode), d.poller());
        PollerNetworkConfig network = or(pollerNetwork(pollerNode), d.pollerNetwork());
        TransitionSettings transitions = or(transitions(section(root, "transitions")), d.transitions());
        HttpConfig http = or(http(section(root, "http")), d.http());
        LoggingConfig logging = or(rules("", () -> new LoggingConfig(
                string(section(root, "logging"), "logging", "format", d.logging().format()).toLowerCase(Locale.ROOT))),
                d.logging());
        NotifyConfig notify = or(notify(section(root, "notify")), d.notifications());
        return new TaskwatchConfig(kafka, registry, topics, credentials, targets, poller, network, transitions, http,
                logging, notify, discovery);
    }

    private DiscoveryConfig discovery(ObjectNode node, Map<String, CredentialConfig> credentials) {
        String path = "discovery";
        List<String> names = strings(node, path, "credentials");
        for (String name : names) {
            if (!credentials.containsKey(name)) {
                problem(path + ".credentials: unknown credential '" + name + "' (defined: "
                        + (credentials.isEmpty() ? "none" : String.join(", ", credentials.keySet())) + ")");
            }
        }
        if (names.isEmpty() && !node.isEmpty()) {
            problem(path + ".credentials: missing (the credentials whose projects are watched)");
        }
        List<String> regions = strings(node, path, "regions");
        if (regions.size() == 1 && regions.get(0).equalsIgnoreCase("all")) {
            regions = List.of();
        }
        List<Service> services = new ArrayList<>();
        for (String id : strings(node, path, "services")) {
            try {
                services.add(Service.fromId(id.trim().toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problem(path + ".services: unknown service '" + id + "' (one of " + serviceIds() + ")");
            }
        }
        DiscoveryConfig d = DiscoveryConfig.NONE;
        Duration interval = duration(node, path, "interval", d.interval());
        Duration active = duration(node, path, "active-interval", d.activeInterval());
        Duration refresh = duration(node, path, "refresh-interval", d.refreshInterval());
        Duration empty = duration(node, path, "empty-interval", d.emptyInterval());
        String iamText = string(node, path, "iam-endpoint", null);
        URI iam = iamText == null ? null : checkUrl(path + ".iam-endpoint", iamText);
        String endpoint = string(node, path, "endpoint", null);
        List<String> regionList = regions;
        return rules("", () -> new DiscoveryConfig(names, regionList, services, strings(node, path, "include"),
                strings(node, path, "exclude"), interval, active, refresh, empty, iam, endpoint));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** The mapping at {@code path} with its unknown keys reported; an empty one when absent or not a mapping. */
    private ObjectNode section(ObjectNode parent, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        return mapping(parent.get(key), path, path);
    }

    private ObjectNode mapping(JsonNode node, String path, String pattern) {
        if (node == null || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            problem(path + ": expected a mapping, got " + kind(node));
            return JsonNodeFactory.instance.objectNode();
        }
        checkKeys(node, path, pattern);
        return (ObjectNode) node;
    }

    private KafkaConfig kafka(ObjectNode node) {
        String bootstrap = string(node, "kafka", "bootstrap-servers", null);
        Map<String, String> properties = freeMap(node.get("properties"), "kafka.properties",
                "a mapping of Kafka client properties");
        return rules("", () -> new KafkaConfig(bootstrap, properties));
    }

    /** A map of free keys (nested mappings joined with dots) to scalar text. */
    private Map<String, String> freeMap(JsonNode node, String path, String expected) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            problem(path + ": expected " + expected + ", got " + kind(node));
            return out;
        }
        flatten(node, "", path, out);
        return out;
    }

    private void flatten(JsonNode node, String prefix, String path, Map<String, String> out) {
        node.properties().forEach(e -> {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(value, key, path, out);
            } else if (value.isArray() || value.isNull()) {
                problem(path + "." + key + ": expected a value, got " + kind(value));
            } else {
                out.put(key, value.asText());
            }
        });
    }

    private SchemaRegistryConfig schemaRegistry(ObjectNode node) {
        String url = string(node, "schema-registry", "url", null);
        if (url != null) {
            checkUrl("schema-registry.url", url);
        }
        ObjectNode ssl = section(node, "schema-registry.ssl");
        KeyStoreConfig trust = store(ssl, "schema-registry.ssl", "trust-store");
        KeyStoreConfig key = store(ssl, "schema-registry.ssl", "key-store");
        String user = string(node, "schema-registry", "basic-auth-user-info", null);
        String bearer = string(node, "schema-registry", "bearer-token", null);
        return rules("", () -> new SchemaRegistryConfig(url, user, bearer, trust, key));
    }

    /** {@code <name>}, {@code <name>-password}, {@code <name>-type}: null unless the path is set. */
    private KeyStoreConfig store(ObjectNode node, String path, String name) {
        String file = string(node, path, name, null);
        String password = string(node, path, name + "-password", null);
        String type = string(node, path, name + "-type", null);
        if (file == null) {
            // a type alone is harmless (it has a default); a password alone means the store was forgotten
            if (password != null) {
                problem(join(path, name + "-password") + ": set only together with " + join(path, name));
            }
            return null;
        }
        return new KeyStoreConfig(Path.of(file), password, type);
    }

    private TopicsConfig topics(ObjectNode node) {
        TopicsConfig d = TopicsConfig.DEFAULT;
        // an empty prefix is meaningful here (no prefix at all), unlike other empty values
        String prefix = node.has("prefix") && node.get("prefix").isTextual() && node.get("prefix").asText().isEmpty()
                ? "" : string(node, "topics", "prefix", d.prefix());
        int partitions = integer(node, "topics", "partitions", d.partitions());
        int replication = integer(node, "topics", "replication-factor", d.replicationFactor());
        boolean create = bool(node, "topics", "create", d.create());
        return rules("", () -> new TopicsConfig(prefix, partitions, replication, create));
    }

    private Map<String, CredentialConfig> credentials(JsonNode node) {
        Map<String, CredentialConfig> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            problem("credentials: expected a mapping of named credentials, got " + kind(node));
            return result;
        }
        node.properties().forEach(e -> {
            String path = "credentials." + e.getKey();
            if (!e.getValue().isObject()) {
                problem(path + ": expected a mapping with type and its fields, got " + kind(e.getValue()));
                return;
            }
            CredentialConfig credential = credential(e.getKey(), (ObjectNode) e.getValue(), path);
            if (credential != null) {
                result.put(e.getKey(), credential);
            }
        });
        return result;
    }

    private CredentialConfig credential(String name, ObjectNode node, String path) {
        List<String> types = List.copyOf(ConfigKeys.CREDENTIAL_FIELDS.keySet());
        List<String> allFields = ConfigKeys.SECTIONS.get("credentials.<name>");
        String type = string(node, path, "type", null);
        if (type == null || !types.contains(type)) {
            checkKeys(node, path, "credentials.<name>");
            problem(path + ".type: " + (type == null ? "missing" : "unknown type '" + type + "'") + " (one of "
                    + String.join(", ", types) + ")");
            return null;
        }
        List<String> valid = new ArrayList<>(List.of("type", "cloud", "requests-per-second"));
        valid.addAll(ConfigKeys.CREDENTIAL_FIELDS.get(type));
        node.fieldNames().forEachRemaining(key -> {
            if (valid.contains(key)) {
                return;
            }
            problem(allFields.contains(key)
                    ? path + "." + key + ": not used by type " + type + " (its keys: " + String.join(", ", valid) + ")"
                    : unknownKey(path + "." + key, key, valid));
        });
        for (String key : valid) {
            String value = string(node, path, key, null);
            if (Rules.headerUnsafe(value)) {
                problem(Rules.headerUnsafeProblem(path + "." + key));
            }
        }
        double rate = decimal(node, path, "requests-per-second", CredentialConfig.DEFAULT_REQUESTS_PER_SECOND);
        if (!(rate > 0)) {
            problem(path + ".requests-per-second: must be above 0, got " + rate);
        }
        Credentials credentials = switch (type) {
            case "token" -> new Credentials.StaticToken(name, required(node, path, "token", type));
            case "password" -> {
                String user = required(node, path, "user", type);
                String password = required(node, path, "password", type);
                String domain = required(node, path, "domain", type);
                String iam = string(node, path, "iam-endpoint", null);
                if (iam != null) {
                    checkUrl(path + ".iam-endpoint", iam);
                }
                yield new Credentials.Password(name, user, password, domain, iam);
            }
            default -> new Credentials.AkSk(name, required(node, path, "access-key", type),
                    required(node, path, "secret-key", type), string(node, path, "security-token", null));
        };
        return new CredentialConfig(credentials, rate, cloud(node, path));
    }

    private String required(ObjectNode node, String path, String key, String type) {
        String value = string(node, path, key, null);
        if (value == null && (!node.has(key) || node.get(key).isValueNode())) {
            problem(path + "." + key + ": missing" + (type == null ? "" : " (required for type " + type + ")"));
        }
        return value == null && type != null ? "" : value;
    }

    private List<TargetConfig> targets(JsonNode node, Map<String, CredentialConfig> credentials) {
        List<TargetConfig> result = new ArrayList<>();
        Map<String, String> namePaths = new LinkedHashMap<>();
        List<ObjectNode> items = list(node, "targets", "a list of targets");
        for (int i = 0; i < items.size(); i++) {
            String path = "targets[" + i + "]";
            TargetConfig target = items.get(i) == null ? null : target(items.get(i), path, credentials);
            if (target == null) {
                continue;
            }
            String previous = namePaths.putIfAbsent(target.target().name(), path);
            if (previous != null) {
                problem(path + ".name: duplicate target name '" + target.target().name() + "' (also " + previous
                        + "; set distinct names)");
            }
            result.add(target);
        }
        return result;
    }

    /** The mappings of a list (null for an item that is not one, reported). */
    private List<ObjectNode> list(JsonNode node, String path, String expected) {
        List<ObjectNode> items = new ArrayList<>();
        if (node == null || node.isNull()) {
            return items;
        }
        if (!node.isArray()) {
            problem(path + ": expected " + expected + ", got " + kind(node));
            return items;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isObject()) {
                problem(path + "[" + i + "]: expected a mapping, got " + kind(item));
                items.add(null);
            } else {
                items.add((ObjectNode) item);
            }
        }
        return items;
    }

    private TargetConfig target(ObjectNode node, String path, Map<String, CredentialConfig> credentials) {
        checkKeys(node, path, "targets[]");
        int before = problems.size();
        String serviceId = string(node, path, "service", null);
        Service service = null;
        if (serviceId == null) {
            problem(path + ".service: missing (one of " + serviceIds() + ")");
        } else {
            try {
                service = Service.fromId(serviceId.trim().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem(path + ".service: unknown service '" + serviceId + "' (one of " + serviceIds() + ")");
            }
        }
        String region = required(node, path, "region", null);
        String project = required(node, path, "project-id", null);
        String credential = required(node, path, "credentials", null);
        if (credential != null && !credentials.containsKey(credential)) {
            problem(path + ".credentials: unknown credential '" + credential + "' (defined: "
                    + (credentials.isEmpty() ? "none" : String.join(", ", credentials.keySet())) + ")");
        }
        CloudProfile targetCloud = cloud(node, path);
        CloudProfile credentialCloud = credential == null || !credentials.containsKey(credential) ? null
                : credentials.get(credential).cloud();
        if (targetCloud != null && credentialCloud != null && targetCloud != credentialCloud) {
            problem(path + ".cloud: " + targetCloud.id() + ", but its credentials '" + credential + "' are for "
                    + credentialCloud.id() + " (credentials.<name>.cloud); a credential works on one cloud only");
        }
        CloudProfile cloud = targetCloud != null ? targetCloud
                : credentialCloud != null ? credentialCloud : CloudProfile.OTC;
        URI endpoint = null;
        String endpointText = string(node, path, "endpoint", null);
        if (endpointText != null) {
            endpoint = checkUrl(path + ".endpoint", endpointText);
        } else if (service != null && region != null) {
            endpoint = cloud.endpoint(service, region);
        }
        Duration interval = positive(node, path, "interval", TargetConfig.DEFAULT_INTERVAL);
        Duration active = positive(node, path, "active-interval", TargetConfig.DEFAULT_ACTIVE_INTERVAL);
        Duration lookback = positive(node, path, "lookback", TargetConfig.DEFAULT_LOOKBACK);
        if (lookback != null && lookback.compareTo(Service.API_VISIBILITY) > 0) {
            problem(path + ".lookback: " + Durations.format(lookback) + " exceeds the "
                    + Service.API_VISIBILITY.toDays() + "-day API visibility window; use at most "
                    + Durations.format(Service.API_VISIBILITY) + " (default "
                    + Durations.format(TargetConfig.DEFAULT_LOOKBACK) + ")");
        }
        Integer pageSize = node.has("page-size") && !isEmpty(node.get("page-size"))
                ? integer(node, path, "page-size", 0) : null;
        if (pageSize != null && service != null && !service.acceptsPageSize(pageSize)) {
            problem(path + ".page-size: " + service.id() + " accepts " + service.pageSizeRule() + ", got " + pageSize);
        }
        if (problems.size() > before) {
            return null;
        }
        String name = string(node, path, "name", service.id() + "/" + region + "/" + project);
        return new TargetConfig(new Target(name, service, region, project, endpoint, credential, interval, active,
                lookback), pageSize, cloud);
    }

    /** {@code cloud} of a target or credential: null when absent, a problem when unknown. */
    private CloudProfile cloud(ObjectNode node, String path) {
        String id = string(node, path, "cloud", null);
        if (id == null) {
            return null;
        }
        try {
            return CloudProfile.fromId(id);
        } catch (IllegalArgumentException e) {
            problem(path + ".cloud: " + e.getMessage());
            return null;
        }
    }

    private PollerSettings poller(ObjectNode node) {
        PollerSettings d = PollerSettings.defaults();
        Duration timeout = duration(node, "poller", "request-timeout", d.requestTimeout());
        int pages = integer(node, "poller", "max-pages-per-cycle", d.maxPagesPerCycle());
        Duration grace = duration(node, "poller", "watch-not-found-grace", d.watchNotFoundGrace());
        Duration backoff = duration(node, "poller", "backoff-max", d.backoffMax());
        double jitter = decimal(node, "poller", "jitter", d.jitter());
        Duration margin = duration(node, "poller", "visibility-margin", d.visibilityMargin());
        Duration sweep = duration(node, "poller", "sweep-interval", d.sweepInterval());
        Duration refresh = duration(node, "poller", "running-refresh", d.runningRefresh());
        return rules("", () -> new PollerSettings(timeout, pages, grace, backoff, jitter, d.backoffInitial(), margin,
                sweep, refresh));
    }

    private PollerNetworkConfig pollerNetwork(ObjectNode node) {
        PollerNetworkConfig d = PollerNetworkConfig.DEFAULT;
        long maxSize = dataSize(node, "poller", "max-response-size", d.maxResponseSize());
        Duration unhealthy = duration(node, "poller", "unhealthy-after", d.unhealthyAfter());
        URI proxy = uri(node, "poller", "proxy", "invalid proxy", "http://[user:password@]host:port");
        List<String> nonProxy = strings(node, "poller", "non-proxy-hosts");
        KeyStoreConfig trust = store(node, "poller", "trust-store");
        return rules("", () -> new PollerNetworkConfig(maxSize, unhealthy, proxy, nonProxy, trust));
    }

    private TransitionSettings transitions(ObjectNode node) {
        TransitionSettings d = TransitionSettings.defaults();
        String applicationId = string(node, "transitions", "application-id", d.applicationId());
        Duration retention = duration(node, "transitions", "state-retention", d.stateRetention());
        Duration backfill = duration(node, "transitions", "backfill-threshold", d.backfillThreshold());
        boolean progress = bool(node, "transitions", "progress-events", d.progressEvents());
        String guarantee = string(node, "transitions", "processing-guarantee", d.processingGuarantee());
        String stateDir = string(node, "transitions", "state-dir", null);
        Duration commit = duration(node, "transitions", "commit-interval", d.commitInterval());
        String instanceId = string(node, "transitions", "group-instance-id", d.groupInstanceId());
        Duration session = duration(node, "transitions", "session-timeout", d.sessionTimeout());
        return rules("", () -> new TransitionSettings(applicationId, retention, backfill, progress, guarantee,
                stateDir == null ? null : Path.of(stateDir), commit, d.retentionScanInterval(), instanceId, session));
    }

    private HttpConfig http(ObjectNode node) {
        String host = string(node, "http", "host", HttpConfig.DEFAULT.host());
        int port = integer(node, "http", "port", HttpConfig.DEFAULT.port());
        return rules("", () -> new HttpConfig(host, port));
    }

    private NotifyConfig notify(ObjectNode node) {
        String groupId = string(node, "notify", "group-id", NotifyConfig.DEFAULT.groupId());
        List<NotifyRule> rules = new ArrayList<>();
        List<ObjectNode> items = list(node.get("rules"), "notify.rules", "a list of rules");
        for (int i = 0; i < items.size(); i++) {
            NotifyRule rule = items.get(i) == null ? null : rule(items.get(i), "notify.rules[" + i + "]");
            if (rule != null) {
                rules.add(rule);
            }
        }
        return rules("", () -> new NotifyConfig(groupId, rules));
    }

    private NotifyRule rule(ObjectNode node, String path) {
        checkKeys(node, path, "notify.rules[]");
        int before = problems.size();
        String name = string(node, path, "name", null);
        List<String> eventTypes = strings(node, path, "event-types").stream()
                .map(t -> t.trim().toUpperCase(Locale.ROOT)).toList();
        List<String> services = strings(node, path, "services").stream()
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
        boolean backfill = bool(node, path, "include-backfill", false);
        ObjectNode hook = mapping(node.get("webhook"), path + ".webhook", "notify.rules[].webhook");
        URI url = uri(hook, path + ".webhook", "url", "invalid URL", "http(s)://host[:port][/path]");
        Map<String, String> headers = freeMap(hook.get("headers"), path + ".webhook.headers",
                "a mapping of header names to values");
        Duration timeout = duration(hook, path + ".webhook", "timeout", Webhook.DEFAULT_TIMEOUT);
        String secret = string(hook, path + ".webhook", "secret", null);
        ObjectNode retryNode = mapping(node.get("retry"), path + ".retry", "notify.rules[].retry");
        Retry d = Retry.DEFAULT;
        String retryPath = path + ".retry";
        int attempts = integer(retryNode, retryPath, "max-attempts", d.maxAttempts());
        Duration maxDuration = duration(retryNode, retryPath, "max-duration", d.maxDuration());
        Duration initial = duration(retryNode, retryPath, "initial-backoff", d.initialBackoff());
        Duration maxBackoff = duration(retryNode, retryPath, "max-backoff", d.maxBackoff());
        String prefix = path + ".";
        Webhook webhook = rules(prefix, () -> new Webhook(url, headers, timeout, secret));
        Retry retry = rules(prefix, () -> new Retry(attempts, maxDuration, initial, maxBackoff));
        NotifyRule rule = rules(prefix, () -> new NotifyRule(name, eventTypes, services,
                strings(node, path, "regions"), strings(node, path, "projects"), strings(node, path, "instance-ids"),
                strings(node, path, "instance-names"), strings(node, path, "task-names"), backfill, webhook, retry));
        return problems.size() > before ? null : rule;
    }

    // ---------------------------------------------------------------- scalars

    /** The text of a scalar; {@code fallback} when absent or empty; a problem (and fallback) for lists and maps. */
    private String string(ObjectNode node, String path, String key, String fallback) {
        JsonNode value = node.get(key);
        if (value == null || isEmpty(value)) {
            return fallback;
        }
        if (!value.isValueNode()) {
            problem(join(path, key) + ": expected a string, got " + kind(value));
            return fallback;
        }
        return value.asText();
    }

    /** A list of strings: a YAML list of scalars, or one comma-separated string (environment, flat properties). */
    private List<String> strings(ObjectNode node, String path, String key) {
        JsonNode value = node.get(key);
        if (value == null || isEmpty(value)) {
            return List.of();
        }
        if (value.isValueNode()) {
            return Arrays.stream(value.asText().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        List<String> out = new ArrayList<>();
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isValueNode() || item.isNull()) {
                    problem(join(path, key) + ": expected a list of strings, got an item " + kind(item));
                    return List.of();
                }
                out.add(item.asText());
            }
            return out;
        }
        problem(join(path, key) + ": expected a list of strings, got " + kind(value));
        return List.of();
    }

    private int integer(ObjectNode node, String path, String key, int fallback) {
        return scalar(node, path, key, fallback, "an integer",
                v -> v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : null, Integer::parseInt);
    }

    private double decimal(ObjectNode node, String path, String key, double fallback) {
        return scalar(node, path, key, fallback, "a number", v -> v.isNumber() ? v.doubleValue() : null,
                Double::parseDouble);
    }

    private boolean bool(ObjectNode node, String path, String key, boolean fallback) {
        return scalar(node, path, key, fallback, "true or false", v -> v.isBoolean() ? v.booleanValue() : null,
                text -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException(text);
                });
    }

    /**
     * A typed scalar: the YAML value when it already has the type ({@code typed} non-null), else its text parsed
     * (environment variables and flat properties are always text); {@code fallback} when absent or empty.
     */
    private <T> T scalar(ObjectNode node, String path, String key, T fallback, String expected,
            Function<JsonNode, T> typed, Function<String, T> parse) {
        JsonNode value = node.get(key);
        if (value == null || isEmpty(value)) {
            return fallback;
        }
        T direct = typed.apply(value);
        if (direct != null) {
            return direct;
        }
        if (value.isTextual()) {
            try {
                return parse.apply(value.asText().trim());
            } catch (IllegalArgumentException e) {
                // NumberFormatException included; reported below
            }
        }
        problem(join(path, key) + ": expected " + expected + ", got " + shown(value));
        return fallback;
    }

    private Duration duration(ObjectNode node, String path, String key, Duration fallback) {
        JsonNode value = node.get(key);
        if (value == null || isEmpty(value)) {
            return fallback;
        }
        if (!value.isValueNode()) {
            problem(join(path, key) + ": expected a duration " + Durations.HINT + ", got " + kind(value));
            return fallback;
        }
        try {
            return Durations.parse(value.asText());
        } catch (IllegalArgumentException e) {
            problem(join(path, key) + ": invalid duration '" + value.asText() + "' " + Durations.HINT);
            return fallback;
        }
    }

    /** A duration that must be more than zero (target intervals; records own the other duration rules). */
    private Duration positive(ObjectNode node, String path, String key, Duration fallback) {
        Duration value = duration(node, path, key, fallback);
        if (value != null && value.isZero()) {
            problem(join(path, key) + ": must be more than 0 " + Durations.HINT);
        }
        return value;
    }

    private long dataSize(ObjectNode node, String path, String key, long fallback) {
        JsonNode value = node.get(key);
        if (value == null || isEmpty(value)) {
            return fallback;
        }
        if (value.isValueNode()) {
            try {
                return DataSizes.parse(value.asText());
            } catch (IllegalArgumentException e) {
                problem(join(path, key) + ": " + e.getMessage() + " " + DataSizes.HINT);
                return fallback;
            }
        }
        problem(join(path, key) + ": expected a data size " + DataSizes.HINT + ", got " + kind(value));
        return fallback;
    }

    /** A URI that parses (its scheme and host are the record's rule); null when absent or unparsable. */
    private URI uri(ObjectNode node, String path, String key, String invalid, String expected) {
        String text = string(node, path, key, null);
        if (text == null) {
            return null;
        }
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            problem(join(path, key) + ": " + invalid + " '" + Urls.redact(text) + "' (expected " + expected + ")");
            return null;
        }
    }

    private URI checkUrl(String path, String text) {
        try {
            URI uri = new URI(text.trim());
            if (Urls.isHttpOrHttps(uri)) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problem(path + ": invalid URL '" + Urls.redact(text) + "' (expected http(s)://host[:port][/path])");
        return null;
    }

    // ---------------------------------------------------------------- keys

    /** Reports the keys of {@code node} (at {@code path}) that the section {@code pattern} does not have. */
    private void checkKeys(JsonNode node, String path, String pattern) {
        List<String> known = ConfigKeys.SECTIONS.get(pattern);
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                problem(unknownKey(join(path, key), key, known));
            }
        });
    }

    static String unknownKey(String path, String key, List<String> known) {
        String typed = key.toLowerCase(Locale.ROOT).replace('_', '-');
        String best = known.stream().min((a, b) -> DISTANCE.apply(typed, a) - DISTANCE.apply(typed, b)).orElse(null);
        int tolerance = Math.max(2, key.length() / 3);
        if (best != null && DISTANCE.apply(typed, best) <= tolerance) {
            return path + ": unknown key (did you mean " + best + "?)";
        }
        return path + ": unknown key (valid here: " + String.join(", ", known) + ")";
    }

    private static boolean isEmpty(JsonNode value) {
        return value.isNull() || value.isTextual() && value.asText().isEmpty();
    }

    static String kind(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull()) {
            return "nothing";
        }
        return "'" + node.asText() + "'";
    }

    private static String shown(JsonNode value) {
        return value.isValueNode() ? "'" + value.asText() + "'" : kind(value);
    }

    private static String serviceIds() {
        return Arrays.stream(Service.values()).map(Service::id).collect(Collectors.joining(", "));
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
