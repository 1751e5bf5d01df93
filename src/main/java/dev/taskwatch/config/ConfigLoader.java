package dev.taskwatch.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.taskwatch.config.TaskwatchConfig.CredentialConfig;
import dev.taskwatch.config.TaskwatchConfig.HttpConfig;
import dev.taskwatch.config.TaskwatchConfig.KafkaConfig;
import dev.taskwatch.config.TaskwatchConfig.PollerConfig;
import dev.taskwatch.config.TaskwatchConfig.SchemaRegistryConfig;
import dev.taskwatch.config.TaskwatchConfig.TargetConfig;
import dev.taskwatch.config.TaskwatchConfig.TopicsConfig;
import dev.taskwatch.config.TaskwatchConfig.TransitionsConfig;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the YAML configuration into a {@link TaskwatchConfig}: {@code ${ENV}} substitution on scalar values, then
 * {@code TASKWATCH_*} environment overrides ({@link ConfigKeys#ENVIRONMENT_OVERRIDES}), then validation that collects
 * every problem before anything starts, then the immutable record tree.
 *
 * <p>Substitution: {@code ${NAME}} is the variable's value and an error naming the key path and the variable when it
 * is not set; {@code ${NAME:-default}} falls back to {@code default}; {@code $${} writes a literal {@code ${}. It
 * happens on the text of scalar values before type conversion, so {@code port: ${PORT:-8080}} is an integer.
 *
 * <p>An empty value ({@code key:} or {@code ""}) of an optional key counts as not set, so a deployment can write
 * {@code bootstrap-servers: ${KAFKA:-}} to fall back to the embedded broker.
 */
public final class ConfigLoader {

    /** The task centers keep about one month of history. */
    static final Duration API_VISIBILITY = Duration.ofDays(30);
    static final String DURATION_HINT = "(use e.g. 30s, 5m, PT1M)";

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$\\{|\\$\\{([^}:]*)(?::-([^}]*))?}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<Integer> GEMINIDB_PAGE_SIZES = Set.of(10, 20, 50);
    private static final List<String> PROCESSING_GUARANTEES = List.of("exactly_once_v2", "at_least_once");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /** Loads {@code file} with the process environment. */
    public static TaskwatchConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** @throws ConfigException listing every problem, or naming the file when it cannot be read */
    public static TaskwatchConfig load(Path file, Map<String, String> env) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return parse(yaml, env);
    }

    /** No file: the defaults plus {@code TASKWATCH_*} environment overrides. */
    public static TaskwatchConfig fromEnvironment(Map<String, String> env) {
        return parse("", env);
    }

    /** @throws ConfigException listing every problem */
    public static TaskwatchConfig parse(String yaml, Map<String, String> env) {
        JsonNode root;
        try {
            // a key written twice is a mistake (the second would silently win), so it is an error
            root = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException("(file): not valid YAML" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        ConfigLoader loader = new ConfigLoader(env);
        if (!root.isObject()) {
            throw new ConfigException("(root): expected a mapping of sections, got " + kind(root));
        }
        JsonNode substituted = loader.substitute(root, "");
        loader.applyOverrides((ObjectNode) substituted);
        TaskwatchConfig config = loader.build((ObjectNode) substituted);
        if (!loader.problems.isEmpty()) {
            throw new ConfigException(loader.problems);
        }
        return config;
    }

    // ---------------------------------------------------------------- substitution and overrides

    private JsonNode substitute(JsonNode node, String path) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), substitute(e.getValue(), join(path, e.getKey()))));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(substitute(node.get(i), path + "[" + i + "]"));
            }
            return copy;
        }
        if (node.isTextual() && node.asText().contains("${")) {
            return TextNode.valueOf(substitute(node.asText(), path));
        }
        return node;
    }

    private String substitute(String text, String path) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$${")) {
                replacement = "${";
            } else {
                String name = m.group(1);
                String fallback = m.group(2);
                if (!ENV_NAME.matcher(name).matches()) {
                    problems.add(path + ": invalid variable reference '${" + name + "}' (use ${NAME} or "
                            + "${NAME:-default})");
                    replacement = "";
                } else if (env.get(name) != null) {
                    replacement = env.get(name);
                } else if (fallback != null) {
                    replacement = fallback;
                } else {
                    problems.add(path + ": environment variable " + name + " is not set (write ${" + name
                            + ":-default} to give a default)");
                    replacement = "";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void applyOverrides(ObjectNode root) {
        ConfigKeys.ENVIRONMENT_OVERRIDES.forEach((variable, path) -> {
            String value = env.get(variable);
            if (value == null) {
                return;
            }
            String[] parts = path.split("\\.");
            JsonNode section = root.get(parts[0]);
            if (section == null || section.isNull()) {
                section = root.putObject(parts[0]);
            }
            if (section.isObject()) {
                ((ObjectNode) section).put(parts[1], value);
            }
        });
    }

    // ---------------------------------------------------------------- building

    private TaskwatchConfig build(ObjectNode root) {
        checkKeys(root, "", ConfigKeys.SECTIONS.get(""));
        KafkaConfig kafka = kafka(section(root, "kafka"));
        SchemaRegistryConfig registry = schemaRegistry(section(root, "schema-registry"));
        TopicsConfig topics = topics(section(root, "topics"));
        Map<String, CredentialConfig> credentials = credentials(root.get("credentials"));
        List<TargetConfig> targets = targets(root.get("targets"), credentials);
        PollerConfig poller = poller(section(root, "poller"));
        TransitionsConfig transitions = transitions(section(root, "transitions"));
        HttpConfig http = http(section(root, "http"));
        return new TaskwatchConfig(kafka, registry, topics, credentials, targets, poller, transitions, http);
    }

    /** The mapping of a fixed section with its unknown keys reported; an empty one when absent or not a mapping. */
    private ObjectNode section(ObjectNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            problems.add(name + ": expected a mapping, got " + kind(node));
            return JsonNodeFactory.instance.objectNode();
        }
        List<String> known = new ArrayList<>(ConfigKeys.SECTIONS.get(name));
        checkKeys(node, name, known);
        return (ObjectNode) node;
    }

    private KafkaConfig kafka(ObjectNode node) {
        String bootstrap = string(node, "kafka", "bootstrap-servers", null);
        Map<String, String> properties = new LinkedHashMap<>();
        JsonNode props = node.get("properties");
        if (props != null && !props.isNull()) {
            if (props.isObject()) {
                flatten(props, "", "kafka.properties", properties);
            } else {
                problems.add("kafka.properties: expected a mapping of Kafka client properties, got " + kind(props));
            }
        }
        if (properties.containsKey("bootstrap.servers")) {
            problems.add("kafka.properties.bootstrap.servers: set kafka.bootstrap-servers instead");
        }
        return new KafkaConfig(bootstrap, properties);
    }

    private void flatten(JsonNode node, String prefix, String path, Map<String, String> out) {
        node.properties().forEach(e -> {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(value, key, path, out);
            } else if (value.isArray() || value.isNull()) {
                problems.add(path + "." + key + ": expected a value, got " + kind(value));
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
        return new SchemaRegistryConfig(url, string(node, "schema-registry", "basic-auth-user-info", null),
                string(node, "schema-registry", "bearer-token", null));
    }

    private TopicsConfig topics(ObjectNode node) {
        TopicsConfig d = TopicsConfig.DEFAULT;
        String prefix = node.has("prefix") && node.get("prefix").isTextual() && node.get("prefix").asText().isEmpty()
                ? "" : string(node, "topics", "prefix", d.prefix());
        int partitions = integer(node, "topics", "partitions", d.partitions());
        if (partitions < 1) {
            problems.add("topics.partitions: must be at least 1, got " + partitions);
        }
        int replication = integer(node, "topics", "replication-factor", d.replicationFactor());
        if (replication == 0 || replication < -1) {
            problems.add("topics.replication-factor: must be -1 (broker default) or at least 1, got " + replication);
        }
        return new TopicsConfig(prefix, partitions, replication, bool(node, "topics", "create", d.create()));
    }

    private Map<String, CredentialConfig> credentials(JsonNode node) {
        Map<String, CredentialConfig> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            problems.add("credentials: expected a mapping of named credentials, got " + kind(node));
            return result;
        }
        node.properties().forEach(e -> {
            String path = "credentials." + e.getKey();
            if (!e.getValue().isObject()) {
                problems.add(path + ": expected a mapping with type and its fields, got " + kind(e.getValue()));
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
        String type = string(node, path, "type", null);
        List<String> allFields = new ArrayList<>(List.of("type", "requests-per-second"));
        ConfigKeys.CREDENTIAL_FIELDS.values().forEach(allFields::addAll);
        if (type == null) {
            checkKeys(node, path, allFields);
            problems.add(path + ".type: missing (one of " + String.join(", ", types) + ")");
            return null;
        }
        if (!types.contains(type)) {
            checkKeys(node, path, allFields);
            problems.add(path + ".type: unknown type '" + type + "' (one of " + String.join(", ", types) + ")");
            return null;
        }
        List<String> fields = ConfigKeys.CREDENTIAL_FIELDS.get(type);
        List<String> valid = new ArrayList<>(List.of("type", "requests-per-second"));
        valid.addAll(fields);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!valid.contains(key)) {
                if (allFields.contains(key)) {
                    problems.add(path + "." + key + ": not used by type " + type + " (its keys: "
                            + String.join(", ", valid) + ")");
                } else {
                    problems.add(unknownKey(path + "." + key, key, valid));
                }
            }
        }
        double rate = decimal(node, path, "requests-per-second", CredentialConfig.DEFAULT_REQUESTS_PER_SECOND);
        if (!(rate > 0)) {
            problems.add(path + ".requests-per-second: must be above 0, got " + rate);
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
        return new CredentialConfig(credentials, rate);
    }

    private String required(ObjectNode node, String path, String key, String type) {
        String value = string(node, path, key, null);
        if (value == null && (!node.has(key) || node.get(key).isValueNode())) {
            problems.add(path + "." + key + ": missing (required for type " + type + ")");
        }
        return value == null ? "" : value;
    }

    private List<TargetConfig> targets(JsonNode node, Map<String, CredentialConfig> credentials) {
        List<TargetConfig> result = new ArrayList<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isArray()) {
            problems.add("targets: expected a list of targets, got " + kind(node));
            return result;
        }
        Map<String, String> namePaths = new LinkedHashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "targets[" + i + "]";
            JsonNode item = node.get(i);
            if (!item.isObject()) {
                problems.add(path + ": expected a mapping, got " + kind(item));
                continue;
            }
            TargetConfig target = target((ObjectNode) item, path, credentials);
            if (target == null) {
                continue;
            }
            String previous = namePaths.putIfAbsent(target.target().name(), path);
            if (previous != null) {
                problems.add(path + ".name: duplicate target name '" + target.target().name() + "' (also "
                        + previous + "; set distinct names)");
            }
            result.add(target);
        }
        return result;
    }

    private TargetConfig target(ObjectNode node, String path, Map<String, CredentialConfig> credentials) {
        checkKeys(node, path, ConfigKeys.TARGET_FIELDS);
        int before = problems.size();
        String serviceId = string(node, path, "service", null);
        Service service = null;
        if (serviceId == null) {
            problems.add(path + ".service: missing (one of " + serviceIds() + ")");
        } else {
            try {
                service = Service.fromId(serviceId.trim().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(path + ".service: unknown service '" + serviceId + "' (one of " + serviceIds() + ")");
            }
        }
        String region = requiredPlain(node, path, "region");
        String project = requiredPlain(node, path, "project-id");
        String credential = requiredPlain(node, path, "credentials");
        if (credential != null && !credentials.containsKey(credential)) {
            problems.add(path + ".credentials: unknown credential '" + credential + "' (defined: "
                    + (credentials.isEmpty() ? "none" : String.join(", ", credentials.keySet())) + ")");
        }
        URI endpoint = null;
        String endpointText = string(node, path, "endpoint", null);
        if (endpointText != null) {
            endpoint = checkUrl(path + ".endpoint", endpointText);
        } else if (service != null && region != null) {
            endpoint = service.defaultEndpoint(region);
        }
        Duration interval = duration(node, path, "interval", Duration.ofSeconds(30), true);
        Duration active = duration(node, path, "active-interval", Duration.ofSeconds(5), true);
        Duration lookback = duration(node, path, "lookback", Duration.ofDays(7), true);
        if (lookback != null && lookback.compareTo(API_VISIBILITY) > 0) {
            problems.add(path + ".lookback: " + Durations.format(lookback) + " exceeds the 30-day API visibility "
                    + "window; use at most 30d (default 7d)");
        }
        Integer pageSize = node.has("page-size") && !node.get("page-size").isNull()
                ? integer(node, path, "page-size", 0) : null;
        if (pageSize != null && service != null) {
            if (service == Service.GEMINIDB && !GEMINIDB_PAGE_SIZES.contains(pageSize)) {
                problems.add(path + ".page-size: geminidb accepts 10, 20 or 50, got " + pageSize);
            } else if (service != Service.GEMINIDB && (pageSize < 1 || pageSize > 100)) {
                problems.add(path + ".page-size: " + service.id() + " accepts 1 to 100, got " + pageSize);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        String name = string(node, path, "name", null);
        if (name == null) {
            name = service.id() + "/" + region + "/" + project;
        }
        return new TargetConfig(new Target(name, service, region, project, endpoint, credential, interval, active,
                lookback), pageSize);
    }

    private String requiredPlain(ObjectNode node, String path, String key) {
        String value = string(node, path, key, null);
        if (value == null && (!node.has(key) || node.get(key).isValueNode())) {
            problems.add(path + "." + key + ": missing");
        }
        return value;
    }

    private PollerConfig poller(ObjectNode node) {
        PollerConfig d = PollerConfig.DEFAULT;
        Duration timeout = duration(node, "poller", "request-timeout", d.requestTimeout(), true);
        int pages = integer(node, "poller", "max-pages-per-cycle", d.maxPagesPerCycle());
        if (pages < 1) {
            problems.add("poller.max-pages-per-cycle: must be at least 1, got " + pages);
        }
        Duration grace = duration(node, "poller", "watch-not-found-grace", d.watchNotFoundGrace(), false);
        Duration backoff = duration(node, "poller", "backoff-max", d.backoffMax(), true);
        double jitter = decimal(node, "poller", "jitter", d.jitter());
        if (jitter < 0 || jitter > 1) {
            problems.add("poller.jitter: must be between 0 and 1, got " + jitter);
        }
        return new PollerConfig(timeout, pages, grace, backoff, jitter);
    }

    private TransitionsConfig transitions(ObjectNode node) {
        TransitionsConfig d = TransitionsConfig.DEFAULT;
        String applicationId = string(node, "transitions", "application-id", d.applicationId());
        Duration retention = duration(node, "transitions", "state-retention", d.stateRetention(), true);
        if (retention != null && retention.compareTo(API_VISIBILITY) <= 0) {
            problems.add("transitions.state-retention: " + Durations.format(retention)
                    + (retention.equals(API_VISIBILITY) ? " equals" : " is below")
                    + " the 30-day API visibility window; use more than 30d (default 35d)");
        }
        Duration backfill = duration(node, "transitions", "backfill-threshold", d.backfillThreshold(), false);
        boolean progress = bool(node, "transitions", "progress-events", d.progressEvents());
        String guarantee = string(node, "transitions", "processing-guarantee", d.processingGuarantee());
        if (guarantee != null && !PROCESSING_GUARANTEES.contains(guarantee)) {
            problems.add("transitions.processing-guarantee: unknown value '" + guarantee + "' (one of "
                    + String.join(", ", PROCESSING_GUARANTEES) + ")");
        }
        String stateDir = string(node, "transitions", "state-dir", null);
        Duration commit = node.has("commit-interval") && !isEmpty(node.get("commit-interval"))
                ? duration(node, "transitions", "commit-interval", null, true) : null;
        return new TransitionsConfig(applicationId, retention, backfill, progress, guarantee,
                stateDir == null ? null : Path.of(stateDir), commit);
    }

    private HttpConfig http(ObjectNode node) {
        int port = integer(node, "http", "port", HttpConfig.DEFAULT.port());
        if (port < 0 || port > 65535) {
            problems.add("http.port: must be 0 (disabled) to 65535, got " + port);
        }
        return new HttpConfig(port);
    }

    // ---------------------------------------------------------------- scalars

    /** The text of a scalar; {@code fallback} when absent or empty; a problem (and fallback) for lists and maps. */
    private String string(ObjectNode node, String path, String key, String fallback) {
        JsonNode value = node.get(key);
        if (value == null || isEmpty(value)) {
            return fallback;
        }
        if (!value.isValueNode()) {
            problems.add(join(path, key) + ": expected a string, got " + kind(value));
            return fallback;
        }
        return value.asText();
    }

    private int integer(ObjectNode node, String path, String key, int fallback) {
        JsonNode value = node.get(key);
        if (value == null || isEmpty(value)) {
            return fallback;
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isTextual()) {
            try {
                return Integer.parseInt(value.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(join(path, key) + ": expected an integer, got " + shown(value));
        return fallback;
    }

    private double decimal(ObjectNode node, String path, String key, double fallback) {
        JsonNode value = node.get(key);
        if (value == null || isEmpty(value)) {
            return fallback;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(join(path, key) + ": expected a number, got " + shown(value));
        return fallback;
    }

    private boolean bool(ObjectNode node, String path, String key, boolean fallback) {
        JsonNode value = node.get(key);
        if (value == null || isEmpty(value)) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && Set.of("true", "false").contains(value.asText().trim().toLowerCase(Locale.ROOT))) {
            return Boolean.parseBoolean(value.asText().trim());
        }
        problems.add(join(path, key) + ": expected true or false, got " + shown(value));
        return fallback;
    }

    private Duration duration(ObjectNode node, String path, String key, Duration fallback, boolean positive) {
        JsonNode value = node.get(key);
        if (value == null || isEmpty(value)) {
            return fallback;
        }
        if (!value.isValueNode()) {
            problems.add(join(path, key) + ": expected a duration " + DURATION_HINT + ", got " + kind(value));
            return fallback;
        }
        try {
            Duration parsed = Durations.parse(value.asText());
            if (positive && parsed.isZero()) {
                problems.add(join(path, key) + ": must be more than 0 " + DURATION_HINT);
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            problems.add(join(path, key) + ": invalid duration '" + value.asText() + "' " + DURATION_HINT);
            return fallback;
        }
    }

    private URI checkUrl(String path, String text) {
        try {
            URI uri = new URI(text.trim());
            if (uri.getScheme() != null && Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        // a URL may carry user:password@; never echo that part
        String shown = text.replaceAll("//[^/]*@", "//****@");
        problems.add(path + ": invalid URL '" + shown + "' (expected http(s)://host[:port][/path])");
        return null;
    }

    // ---------------------------------------------------------------- keys

    private void checkKeys(JsonNode node, String path, List<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!known.contains(key)) {
                problems.add(unknownKey(join(path, key), key, known));
            }
        }
    }

    static String unknownKey(String path, String key, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(key.toLowerCase(Locale.ROOT).replace('_', '-'), candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int tolerance = Math.max(2, key.length() / 3);
        if (best != null && bestDistance <= tolerance) {
            return path + ": unknown key (did you mean " + best + "?)";
        }
        return path + ": unknown key (valid here: " + String.join(", ", known) + ")";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static boolean isEmpty(JsonNode value) {
        return value.isNull() || value.isTextual() && value.asText().isEmpty();
    }

    private static String kind(JsonNode node) {
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

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
