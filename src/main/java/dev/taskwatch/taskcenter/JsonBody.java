package dev.taskwatch.taskcenter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed response body with typed field access whose failures are {@link MalformedResponseException}s naming the
 * service, the JSON path of the field and what is wrong, followed by a short excerpt of the body.
 */
final class JsonBody {

    /** Strict about the document: trailing tokens (TaurusDB's documented extra closing brace) are an error. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static final int EXCERPT_LENGTH = 200;

    private final Service service;
    private final String body;
    private final JsonNode root;

    private JsonBody(Service service, String body, JsonNode root) {
        this.service = service;
        this.body = body;
        this.root = root;
    }

    /** @throws MalformedResponseException if {@code body} is not one JSON object */
    static JsonBody parse(Service service, String body) throws MalformedResponseException {
        if (body == null || body.isBlank()) {
            throw new MalformedResponseException(service.id() + " response is empty");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new MalformedResponseException(service.id() + " response is not valid JSON" + where + " ("
                    + e.getOriginalMessage() + "); body starts: " + excerpt(body), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedResponseException(service.id() + " response is not a JSON object; body starts: "
                    + excerpt(body));
        }
        return new JsonBody(service, body, root);
    }

    /** Parses without failing; null when {@code body} is not JSON (error bodies may be HTML from a proxy). */
    static JsonNode tryParse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    JsonNode root() {
        return root;
    }

    MalformedResponseException malformed(String what) {
        return new MalformedResponseException(service.id() + " response: " + what + "; body starts: "
                + excerpt(body));
    }

    /** The elements of the array {@code field} of {@code object}; an explicit null is an empty list. */
    List<JsonNode> array(JsonNode object, String path, String field) throws MalformedResponseException {
        JsonNode node = object.get(field);
        if (node == null) {
            throw malformed(path(path, field) + " is missing");
        }
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw malformed(path(path, field) + " is " + describe(node) + ", expected an array");
        }
        List<JsonNode> elements = new ArrayList<>();
        node.forEach(elements::add);
        return elements;
    }

    /** The object {@code field}, or null when absent or null. */
    JsonNode optionalObject(JsonNode object, String path, String field) throws MalformedResponseException {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw malformed(path(path, field) + " is " + describe(node) + ", expected an object");
        }
        return node;
    }

    /** A string that must be present and not blank. */
    String requiredText(JsonNode object, String path, String field) throws MalformedResponseException {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            throw malformed(path(path, field) + " is missing");
        }
        if (!node.isTextual()) {
            throw malformed(path(path, field) + " is " + describe(node) + ", expected a string");
        }
        if (node.asText().isBlank()) {
            throw malformed(path(path, field) + " is blank");
        }
        return node.asText();
    }

    /** A string that must be present (it may be empty: names are trimmed later). */
    String requiredString(JsonNode object, String path, String field) throws MalformedResponseException {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            throw malformed(path(path, field) + " is missing");
        }
        if (!node.isTextual()) {
            throw malformed(path(path, field) + " is " + describe(node) + ", expected a string");
        }
        return node.asText();
    }

    /** A string, or null when absent or null. */
    String optionalText(JsonNode object, String path, String field) throws MalformedResponseException {
        if (object == null) {
            return null;
        }
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw malformed(path(path, field) + " is " + describe(node) + ", expected a string");
        }
        return node.asText();
    }

    /** Progress: a string like "14%", or a plain JSON number (accepted as the same thing), or null. */
    String optionalProgress(JsonNode object, String path, String field) throws MalformedResponseException {
        JsonNode node = object.get(field);
        if (node != null && node.isNumber()) {
            return node.asText();
        }
        return optionalText(object, path, field);
    }

    /** A non-negative integer, or null when absent or null. */
    Integer optionalCount(JsonNode object, String path, String field) throws MalformedResponseException {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
            throw malformed(path(path, field) + " is " + describe(node) + ", expected a non-negative integer");
        }
        return node.asInt();
    }

    /**
     * Flattens {@code node} into {@code out} under {@code prefix}: objects by {@code .key}, arrays by {@code .index};
     * scalars as their text; nulls and empty containers leave nothing.
     */
    static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                flatten(prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "." + i, node.get(i), out);
            }
        } else {
            out.put(prefix, node.asText());
        }
    }

    static String path(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "the string \"" + abbreviate(node.asText(), 40) + "\"";
            case NUMBER -> "the number " + node.asText();
            case BOOLEAN -> "the boolean " + node.asText();
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The start of {@code body} on one line, at most {@value #EXCERPT_LENGTH} characters. */
    static String excerpt(String body) {
        if (body == null) {
            return "<none>";
        }
        return abbreviate(body.replaceAll("\\s+", " ").strip(), EXCERPT_LENGTH);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
