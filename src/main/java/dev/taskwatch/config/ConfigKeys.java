package dev.taskwatch.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one list of every configuration key the application reads; the binder rejects everything else, and deployment
 * files can be checked against {@link #isKnown(String)}.
 *
 * <p>Patterns: {@code <name>} stands for a credential name, {@code []} for a list index, {@code *} for any free key
 * below {@code kafka.properties} or a webhook's {@code headers} (dots allowed, or nested mappings which are joined
 * with dots). {@link #SECTIONS} is the model's key tree: the binder checks each mapping against it, and the README
 * table and the example file are tested against {@link #ALL}.
 *
 * <p><b>Environment overrides.</b> Every key without a wildcard can also be set by an environment variable named
 * {@code TASKWATCH_} + the key path in upper case with {@code .} and {@code -} replaced by {@code _}, e.g.
 * {@code TASKWATCH_KAFKA_BOOTSTRAP_SERVERS} for {@code kafka.bootstrap-servers}. An override wins over the file;
 * see {@link #ENVIRONMENT_OVERRIDES}. Keys inside credentials, targets and notify rules have no overrides: use
 * {@code ${ENV}} in the file. A list key ({@code poller.non-proxy-hosts}) takes a comma-separated override.
 */
public final class ConfigKeys {

    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap-servers";
    public static final String KAFKA_PROPERTIES = "kafka.properties";

    /** Keys of each credential type besides {@code type} and {@code requests-per-second}. */
    static final Map<String, List<String>> CREDENTIAL_FIELDS = orderedMap(
            "token", List.of("token"),
            "password", List.of("user", "password", "domain", "iam-endpoint"),
            "aksk", List.of("access-key", "secret-key", "security-token"));

    /** Children of each mapping, by path pattern (the root is ""); a child that is itself a key here nests. */
    static final Map<String, List<String>> SECTIONS = orderedMap(
            "", List.of("kafka", "schema-registry", "topics", "credentials", "targets", "discovery", "poller",
                    "transitions", "http", "logging", "notify"),
            "kafka", List.of("bootstrap-servers", "properties"),
            "schema-registry", List.of("url", "basic-auth-user-info", "bearer-token", "ssl"),
            "schema-registry.ssl", List.of("trust-store", "trust-store-password", "trust-store-type", "key-store",
                    "key-store-password", "key-store-type"),
            "topics", List.of("prefix", "partitions", "replication-factor", "create"),
            "credentials.<name>", credentialKeys(),
            "targets[]", List.of("name", "service", "cloud", "region", "project-id", "endpoint", "credentials", "interval",
                    "active-interval", "lookback", "page-size"),
            "discovery", List.of("credentials", "regions", "services", "include", "exclude", "interval",
                    "active-interval", "refresh-interval", "empty-interval", "iam-endpoint", "endpoint"),
            "poller", List.of("request-timeout", "max-pages-per-cycle", "watch-not-found-grace", "backoff-max",
                    "jitter", "visibility-margin", "sweep-interval", "running-refresh", "max-response-size", "unhealthy-after", "proxy", "non-proxy-hosts", "trust-store",
                    "trust-store-password", "trust-store-type"),
            "transitions", List.of("application-id", "state-retention", "backfill-threshold", "progress-events",
                    "processing-guarantee", "state-dir", "commit-interval", "group-instance-id", "session-timeout"),
            "http", List.of("host", "port"),
            "logging", List.of("format"),
            "notify", List.of("group-id", "rules"),
            "notify.rules[]", List.of("name", "event-types", "services", "regions", "projects", "instance-ids",
                    "instance-names", "task-names", "include-backfill", "webhook", "retry"),
            "notify.rules[].webhook", List.of("url", "headers", "timeout", "secret"),
            "notify.rules[].retry", List.of("max-attempts", "max-duration", "initial-backoff", "max-backoff"));

    /** Keys whose children are named by the user: a credential name, a list index, free keys of a map. */
    private static final Map<String, String> CHILDREN = Map.of("credentials", "credentials.<name>",
            "targets", "targets[]", "notify.rules", "notify.rules[]", KAFKA_PROPERTIES, KAFKA_PROPERTIES + ".*",
            "notify.rules[].webhook.headers", "notify.rules[].webhook.headers.*");

    /** Every valid key path pattern, in documentation order. */
    public static final List<String> ALL;

    /** Environment variable name to the key path it overrides, for every key outside lists and maps. */
    public static final Map<String, String> ENVIRONMENT_OVERRIDES;

    static {
        List<String> all = new ArrayList<>();
        collect("", all);
        ALL = List.copyOf(all);
        Map<String, String> env = new LinkedHashMap<>();
        ALL.stream().filter(p -> !p.contains("[]") && !p.contains("<name>") && !p.endsWith(".*"))
                .forEach(p -> env.put(environmentVariable(p), p));
        ENVIRONMENT_OVERRIDES = Collections.unmodifiableMap(env);
    }

    private static void collect(String section, List<String> out) {
        for (String key : SECTIONS.get(section)) {
            String path = section.isEmpty() ? key : section + "." + key;
            String child = CHILDREN.getOrDefault(path, path);
            if (SECTIONS.containsKey(child)) {
                collect(child, out);
            } else {
                out.add(child);
            }
        }
    }

    private static List<String> credentialKeys() {
        Set<String> keys = new LinkedHashSet<>(List.of("type", "cloud", "requests-per-second"));
        CREDENTIAL_FIELDS.values().forEach(keys::addAll);
        return List.copyOf(keys);
    }

    private static final List<Pattern> MATCHERS = ALL.stream()
            .map(p -> Pattern.compile(Pattern.quote(p)
                    .replace("<name>", "\\E[^.\\[\\]]+\\Q")
                    .replace("[]", "\\E\\[\\d+\\]\\Q")
                    .replace(".*", "\\E\\..+\\Q")))
            .toList();

    private ConfigKeys() {}

    /**
     * Whether a concrete key path is one the application reads, e.g. {@code targets[0].service},
     * {@code credentials.prod.secret-key}, {@code kafka.properties.security.protocol}.
     */
    public static boolean isKnown(String path) {
        return MATCHERS.stream().anyMatch(m -> m.matcher(path).matches());
    }

    /** {@code TASKWATCH_} + the path in upper case with {@code .} and {@code -} as {@code _}. */
    public static String environmentVariable(String path) {
        return "TASKWATCH_" + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static <V> Map<String, V> orderedMap(Object... pairs) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            V value = (V) pairs[i + 1];
            map.put((String) pairs[i], value);
        }
        return Collections.unmodifiableMap(map);
    }
}
