package dev.taskwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds flat properties whose names are configuration key paths ({@code targets[0].service},
 * {@code credentials.prod.type}, {@code poller.request-timeout}, {@code kafka.properties.security.protocol}) into the
 * same {@link TaskwatchConfig} as a YAML file, with the same one-line problems: the Kafka Connect connector's
 * properties. Values are text (lists as comma-separated text); there is no {@code ${ENV}} substitution and there are
 * no {@code TASKWATCH_*} overrides (Connect has its own config providers).
 */
public final class ConfigProperties {

    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");
    /**
     * Below the settings of free keys ({@code kafka.properties.*}, a webhook's {@code headers.*}), the rest of the
     * name is one key, which may hold dots.
     */
    private static final Pattern FREE = Pattern.compile("(" + Settings.ALL.stream().map(Setting::path)
            .filter(p -> p.endsWith(".*"))
            .map(p -> Pattern.quote(p.substring(0, p.length() - 2)).replace("[]", "\\E\\[\\d+]\\Q"))
            .collect(Collectors.joining("|")) + ")\\.(.+)");

    private ConfigProperties() {}

    /** @throws ConfigException listing every problem, each starting with its property name */
    public static TaskwatchConfig bind(Map<String, String> properties) {
        return bind(properties, name -> false);
    }

    /**
     * @param ignored names that are not configuration keys (e.g. Connect's own {@code name}, {@code tasks.max})
     * @throws ConfigException listing every problem, each starting with its property name
     */
    public static TaskwatchConfig bind(Map<String, String> properties, Predicate<String> ignored) {
        List<String> problems = new ArrayList<>();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        // sorted, so that targets[0] is created before targets[1] and problems come in a stable order
        new TreeMap<>(properties).forEach((name, value) -> {
            if (!ignored.test(name)) {
                put(root, name, value, problems);
            }
        });
        return ConfigBinder.bind(root, problems);
    }

    /** Every problem of {@code properties}, empty when they bind. */
    public static List<ConfigProblem> validate(Map<String, String> properties, Predicate<String> ignored) {
        try {
            bind(properties, ignored);
            return List.of();
        } catch (ConfigException e) {
            return e.details();
        }
    }

    private static void put(ObjectNode root, String name, String value, List<String> problems) {
        Matcher free = FREE.matcher(name);
        String path = free.matches() ? free.group(1) : name;
        JsonNode node = root;
        String[] segments = path.split("\\.");
        List<Object> steps = new ArrayList<>();
        for (String segment : segments) {
            Matcher m = SEGMENT.matcher(segment);
            if (!m.matches()) {
                problems.add(name + ": not a key path (write e.g. targets[0].service or poller.jitter)");
                return;
            }
            steps.add(m.group(1));
            Matcher index = INDEX.matcher(m.group(2));
            while (index.find()) {
                if (index.group(1).length() > 4) {
                    problems.add(name + ": list index " + index.group(1) + " is too large (at most 9999)");
                    return;
                }
                steps.add(Integer.parseInt(index.group(1)));
            }
        }
        if (free.matches()) {
            steps.add(free.group(2));
        }
        for (int i = 0; i < steps.size(); i++) {
            Object step = steps.get(i);
            boolean last = i == steps.size() - 1;
            Object next = last ? null : steps.get(i + 1);
            JsonNode child = step instanceof Integer n ? element(node, n) : node.get((String) step);
            if (last) {
                if (child != null) {
                    problems.add(name + ": set both as a value and as a section");
                    return;
                }
                if (step instanceof Integer n) {
                    ((ArrayNode) node).set(n, JsonNodeFactory.instance.textNode(value));
                } else {
                    ((ObjectNode) node).put((String) step, value);
                }
                return;
            }
            if (child == null || child.isNull()) {
                child = next instanceof Integer ? JsonNodeFactory.instance.arrayNode()
                        : JsonNodeFactory.instance.objectNode();
                if (step instanceof Integer n) {
                    ((ArrayNode) node).set(n, child);
                } else {
                    ((ObjectNode) node).set((String) step, child);
                }
            } else if (!child.isContainerNode() || next instanceof Integer != child.isArray()) {
                problems.add(name + ": set both as a value and as a section");
                return;
            }
            node = child;
        }
    }

    /** The n-th element, padding the list with nulls so that it exists (a gap is reported by the binder). */
    private static JsonNode element(JsonNode list, int n) {
        ArrayNode array = (ArrayNode) list;
        while (array.size() <= n) {
            array.addNull();
        }
        return array.get(n).isNull() ? null : array.get(n);
    }
}
