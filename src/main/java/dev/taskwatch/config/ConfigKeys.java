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
 * The one list of every configuration key the application reads (CONVENTIONS.md "Config file keys"); the loader
 * rejects everything else, and deployment files can be checked against {@link #isKnown(String)}.
 *
 * <p>Patterns: {@code <name>} stands for a credential name, {@code []} for a list index, {@code *} for any
 * passthrough key below {@code kafka.properties} (dots allowed, or nested mappings which are joined with dots).
 *
 * <p><b>Environment overrides.</b> Every key without a wildcard can also be set by an environment variable named
 * {@code TASKWATCH_} + the key path in upper case with {@code .} and {@code -} replaced by {@code _}, e.g.
 * {@code TASKWATCH_KAFKA_BOOTSTRAP_SERVERS} for {@code kafka.bootstrap-servers}. An override wins over the file;
 * see {@link #ENVIRONMENT_OVERRIDES}. Credentials and targets have no overrides: use {@code ${ENV}} in the file.
 */
public final class ConfigKeys {

    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap-servers";
    public static final String KAFKA_PROPERTIES = "kafka.properties";

    /** Keys of each credential type besides {@code type} and {@code requests-per-second}. */
    static final Map<String, List<String>> CREDENTIAL_FIELDS = orderedMap(
            "token", List.of("token"),
            "password", List.of("user", "password", "domain", "iam-endpoint"),
            "aksk", List.of("access-key", "secret-key", "security-token"));

    static final List<String> TARGET_FIELDS = List.of("name", "service", "region", "project-id", "endpoint",
            "credentials", "interval", "active-interval", "lookback", "page-size");

    /** Children of each fixed mapping (the root is ""). */
    static final Map<String, List<String>> SECTIONS = orderedMap(
            "", List.of("kafka", "schema-registry", "topics", "credentials", "targets", "poller", "transitions",
                    "http"),
            "kafka", List.of("bootstrap-servers", "properties"),
            "schema-registry", List.of("url", "basic-auth-user-info", "bearer-token"),
            "topics", List.of("prefix", "partitions", "replication-factor", "create"),
            "poller", List.of("request-timeout", "max-pages-per-cycle", "watch-not-found-grace", "backoff-max",
                    "jitter"),
            "transitions", List.of("application-id", "state-retention", "backfill-threshold", "progress-events",
                    "processing-guarantee", "state-dir", "commit-interval"),
            "http", List.of("port"));

    /** Every valid key path pattern, in documentation order. */
    public static final List<String> ALL;

    /** Environment variable name to the key path it overrides, for every key without a wildcard. */
    public static final Map<String, String> ENVIRONMENT_OVERRIDES;

    static {
        List<String> all = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (String section : SECTIONS.get("")) {
            switch (section) {
                case "credentials" -> {
                    all.add("credentials.<name>.type");
                    Set<String> fields = new LinkedHashSet<>();
                    CREDENTIAL_FIELDS.values().forEach(fields::addAll);
                    fields.add("requests-per-second");
                    fields.forEach(f -> all.add("credentials.<name>." + f));
                }
                case "targets" -> TARGET_FIELDS.forEach(f -> all.add("targets[]." + f));
                default -> {
                    for (String key : SECTIONS.get(section)) {
                        String path = section + "." + key;
                        if (path.equals(KAFKA_PROPERTIES)) {
                            all.add(KAFKA_PROPERTIES + ".*");
                        } else {
                            all.add(path);
                            env.put(environmentVariable(path), path);
                        }
                    }
                }
            }
        }
        ALL = List.copyOf(all);
        ENVIRONMENT_OVERRIDES = Collections.unmodifiableMap(env);
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
