package dev.taskwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwatch.config.SettingType.BadValue;
import dev.taskwatch.config.TaskwatchConfig.KeyStoreConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Reads declared {@link Setting}s out of a configuration tree, collecting every problem as one line that starts with
 * its key path. Only the first problem of a key is kept: one broken value gives one line (an unset {@code ${ENV}} is
 * not also reported as missing). The structure (which keys a mapping may hold) comes from {@link ConfigKeys}.
 */
final class SettingReader {

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private final Map<String, String> problems = new LinkedHashMap<>();

    void problem(String line) {
        ConfigProblem p = ConfigProblem.parse(line);
        problems.putIfAbsent(p.key(), p.message());
    }

    int problemCount() {
        return problems.size();
    }

    List<String> problems() {
        return problems.entrySet().stream().map(e -> new ConfigProblem(e.getKey(), e.getValue()).toString()).toList();
    }

    /**
     * The value of {@code setting} in the mapping {@code node} at the concrete {@code path}: its default when absent
     * or empty, and its default with a problem when of the wrong type or against its rule.
     */
    <T> T read(ObjectNode node, String path, Setting<T> setting) {
        JsonNode value = node.get(setting.key());
        if (value == null || isEmpty(value)) {
            return setting.defaultValue();
        }
        String at = join(path, setting.key());
        T typed;
        try {
            typed = setting.type().parser().parse(value);
        } catch (BadValue e) {
            problem(at + ": " + e.getMessage());
            return setting.defaultValue();
        }
        String broken = setting.rule().problem(typed);
        if (broken != null) {
            problem(at + ": " + broken);
            return setting.defaultValue();
        }
        return typed;
    }

    /** Like {@link #read}, with a "missing" problem (and {@code ""}) when the key is absent or empty. */
    String required(ObjectNode node, String path, Setting<String> setting, String why) {
        String value = read(node, path, setting);
        JsonNode raw = node.get(setting.key());
        if (value == null && (raw == null || raw.isValueNode())) {
            problem(join(path, setting.key()) + ": missing" + why);
        }
        return value;
    }

    /** The mapping at {@code path} below {@code parent}, unknown keys reported; empty when absent or no mapping. */
    ObjectNode section(ObjectNode parent, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        return mapping(parent.get(key), path, path);
    }

    /** {@code node} as a mapping checked against the section {@code pattern}; empty when absent or no mapping. */
    ObjectNode mapping(JsonNode node, String path, String pattern) {
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

    /** The mappings of a list (null for an item that is not one, reported). */
    List<ObjectNode> list(JsonNode node, String path, String expected) {
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

    /** A map of free keys (nested mappings joined with dots) to scalar text: a {@link SettingType#MAP} setting. */
    Map<String, String> freeMap(JsonNode node, String path, String expected) {
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

    /** A key or trust store from its file, password and type settings: null unless the file is set. */
    KeyStoreConfig store(ObjectNode node, String path, Setting<java.nio.file.Path> file, Setting<String> password,
            Setting<String> type) {
        java.nio.file.Path location = read(node, path, file);
        String secret = read(node, path, password);
        String storeType = read(node, path, type);
        if (location == null) {
            // a type alone is harmless (it has a default); a password alone means the store was forgotten
            if (secret != null) {
                problem(join(path, password.key()) + ": set only together with " + join(path, file.key()));
            }
            return null;
        }
        return new KeyStoreConfig(location, secret, storeType);
    }

    /** Reports the keys of {@code node} (at {@code path}) that the section {@code pattern} does not have. */
    void checkKeys(JsonNode node, String path, String pattern) {
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

    static boolean isEmpty(JsonNode value) {
        return value.isNull() || value.isTextual() && value.asText().isEmpty();
    }

    static String kind(JsonNode node) {
        return SettingType.kind(node);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
