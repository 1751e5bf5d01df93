package dev.taskwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration into a {@link TaskwatchConfig}: {@code ${ENV}} substitution on scalar values, then
 * {@code TASKWATCH_*} environment overrides ({@link ConfigKeys#ENVIRONMENT_OVERRIDES}), then {@link ConfigBinder},
 * which collects every problem before anything starts.
 *
 * <p>Substitution: {@code ${NAME}} is the variable's value and an error naming the key path and the variable when it
 * is not set; {@code ${NAME:-default}} falls back to {@code default}; {@code $${} writes a literal {@code ${}. It
 * happens on the text of scalar values before type conversion, so {@code port: ${PORT:-8080}} is an integer.
 *
 * <p>An empty value ({@code key:} or {@code ""}) of an optional key counts as not set, so a deployment can write
 * {@code bootstrap-servers: ${KAFKA:-}} to fall back to the embedded broker.
 */
public final class ConfigLoader {

    /** A configuration file is a few kilobytes; a larger one is a mistake (or an attack) and is not parsed. */
    static final long MAX_FILE_SIZE = 1L << 20;

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$\\{|\\$\\{([^}:]*)(?::-([^}]*))?}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    // a key written twice is a mistake (the second would silently win), so it is an error
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /** Loads {@code file} with the process environment. */
    public static TaskwatchConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** @throws ConfigException listing every problem, or naming the file when it cannot be read, is empty or huge */
    public static TaskwatchConfig load(Path file, Map<String, String> env) {
        String yaml;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_SIZE) {
                throw new ConfigException(file + ": " + size + " bytes is more than a configuration file may hold ("
                        + DataSizes.format(MAX_FILE_SIZE) + "); is this the right file?");
            }
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
        JsonNode root = read(yaml);
        if (root == null) {
            // an empty file is almost always a failed mount or a truncated copy; the defaults would run the simulator
            throw new ConfigException(file + ": empty configuration (no settings; omit --config to run on defaults)");
        }
        return bind(root, env);
    }

    /** No file: the defaults plus {@code TASKWATCH_*} environment overrides. */
    public static TaskwatchConfig fromEnvironment(Map<String, String> env) {
        return parse("", env);
    }

    /** @throws ConfigException listing every problem */
    public static TaskwatchConfig parse(String yaml, Map<String, String> env) {
        JsonNode root = read(yaml);
        return bind(root == null ? JsonNodeFactory.instance.objectNode() : root, env);
    }

    /** The YAML tree, null when there is none (empty text, comments only, or a bare null). */
    private static JsonNode read(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(syntaxError(e));
        }
        return root == null || root.isMissingNode() || root.isNull() ? null : root;
    }

    /**
     * Line and column of a syntax error, never the offending text: the parser's own message quotes the line, which
     * may hold a password or token. A duplicate key is named, since it is a key, not a value.
     */
    static String syntaxError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String original = e.getOriginalMessage();
        String what = original != null && original.startsWith("Duplicate field '")
                ? ": " + original.substring(0, original.indexOf('\'', "Duplicate field '".length()) + 1)
                : " (content not shown: it may hold a secret)";
        return "(file): not valid YAML" + where + what;
    }

    private static TaskwatchConfig bind(JsonNode root, Map<String, String> env) {
        if (!root.isObject()) {
            throw new ConfigException("(root): expected a mapping of sections, got " + ConfigBinder.kind(root));
        }
        ConfigLoader loader = new ConfigLoader(env);
        ObjectNode substituted = (ObjectNode) loader.substitute(root, "");
        loader.applyOverrides(substituted);
        return ConfigBinder.bind(substituted, loader.problems);
    }

    // ---------------------------------------------------------------- substitution and overrides

    private JsonNode substitute(JsonNode node, String path) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(),
                    substitute(e.getValue(), ConfigBinder.join(path, e.getKey()))));
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
            String replacement = "";
            if (m.group().equals("$${")) {
                replacement = "${";
            } else {
                String name = m.group(1);
                String fallback = m.group(2);
                if (!ENV_NAME.matcher(name).matches()) {
                    problems.add(path + ": invalid variable reference '${" + name + "}' (use ${NAME} or "
                            + "${NAME:-default})");
                } else if (env.get(name) != null) {
                    replacement = env.get(name);
                } else if (fallback != null) {
                    replacement = fallback;
                } else {
                    problems.add(path + ": environment variable " + name + " is not set (write ${" + name
                            + ":-default} to give a default)");
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
            ObjectNode section = root;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = section.get(parts[i]);
                if (child == null || child.isNull()) {
                    child = section.putObject(parts[i]);
                }
                if (!child.isObject()) {
                    return; // the binder reports the section that is not a mapping
                }
                section = (ObjectNode) child;
            }
            section.put(parts[parts.length - 1], value);
        });
    }
}
