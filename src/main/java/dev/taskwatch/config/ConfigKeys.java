package dev.taskwatch.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The allow-list of configuration keys and their environment overrides, both derived from the table in
 * {@link Settings}: the binder rejects every other key, and deployment files can be checked against
 * {@link #isKnown(String)}.
 *
 * <p>Patterns: {@code <name>} stands for a credential name, {@code []} for a list index, {@code *} for any free key
 * below {@code kafka.properties} or a webhook's {@code headers} (dots allowed, or nested mappings which are joined
 * with dots). {@link #SECTIONS} is the key tree the binder checks each mapping against.
 *
 * <p><b>Environment overrides.</b> Every key without a wildcard can also be set by an environment variable named
 * {@code TASKWATCH_} + the key path in upper case with {@code .} and {@code -} replaced by {@code _}, e.g.
 * {@code TASKWATCH_KAFKA_BOOTSTRAP_SERVERS} for {@code kafka.bootstrap-servers}. An override wins over the file;
 * see {@link #ENVIRONMENT_OVERRIDES}. Keys inside credentials, targets and notify rules have no overrides: use
 * {@code ${ENV}} in the file. A list key ({@code poller.non-proxy-hosts}) takes a comma-separated override.
 */
public final class ConfigKeys {

    public static final String KAFKA_BOOTSTRAP_SERVERS = Settings.KAFKA_BOOTSTRAP_SERVERS.path();
    public static final String KAFKA_PROPERTIES = "kafka.properties";

    /** Every valid key path pattern, in documentation order. */
    public static final List<String> ALL = Settings.ALL.stream().map(Setting::path).toList();

    /** Children of each mapping, by path pattern (the root is ""), in documentation order. */
    static final Map<String, List<String>> SECTIONS = sections();

    /** Environment variable name to the key path it overrides, for every key outside lists and maps. */
    public static final Map<String, String> ENVIRONMENT_OVERRIDES;

    static {
        Map<String, String> env = new LinkedHashMap<>();
        Settings.ALL.stream().filter(Setting::fixed).forEach(s -> env.put(s.environmentVariable(), s.path()));
        ENVIRONMENT_OVERRIDES = Collections.unmodifiableMap(env);
    }

    private static final Map<Setting<?>, Pattern> MATCHERS = matchers();

    private ConfigKeys() {}

    /**
     * Each key path split into the mappings it passes: {@code credentials.<name>.type} puts {@code credentials}
     * under the root and {@code type} under {@code credentials.<name>}; a user-named part ({@code <name>}, {@code *})
     * is no child of its own.
     */
    private static Map<String, List<String>> sections() {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        for (String path : ALL) {
            String section = "";
            for (String segment : path.split("\\.")) {
                if (segment.equals("*")) {
                    break;
                }
                if (!segment.equals("<name>")) {
                    List<String> children = sections.computeIfAbsent(section, k -> new ArrayList<>());
                    String child = segment.replace("[]", "");
                    if (!children.contains(child)) {
                        children.add(child);
                    }
                }
                section = section.isEmpty() ? segment : section + "." + segment;
            }
        }
        sections.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(sections);
    }

    /**
     * Whether a concrete key path is one the application reads, e.g. {@code targets[0].service},
     * {@code credentials.prod.secret-key}, {@code kafka.properties.security.protocol}.
     */
    public static boolean isKnown(String path) {
        return setting(path).isPresent();
    }

    /** The declaration a concrete key path is an instance of, e.g. {@code targets[0].service}'s. */
    public static Optional<Setting<?>> setting(String path) {
        return MATCHERS.entrySet().stream().filter(e -> e.getValue().matcher(path).matches()).map(Map.Entry::getKey)
                .findFirst();
    }

    private static Map<Setting<?>, Pattern> matchers() {
        Map<Setting<?>, Pattern> matchers = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.ALL) {
            matchers.put(setting, Pattern.compile(Pattern.quote(setting.path())
                    .replace("<name>", "\\E[^.\\[\\]]+\\Q")
                    .replace("[]", "\\E\\[\\d+\\]\\Q")
                    .replace(".*", "\\E\\..+\\Q")));
        }
        return Collections.unmodifiableMap(matchers);
    }

    /** {@code TASKWATCH_} + the path in upper case with {@code .} and {@code -} as {@code _}. */
    public static String environmentVariable(String path) {
        return "TASKWATCH_" + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
