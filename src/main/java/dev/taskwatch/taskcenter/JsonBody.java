package dev.taskwatch.taskcenter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;

/**
 * A response body read with Jackson's streaming parser (no tree: the tree was the poller's largest cost after the
 * HTTP exchange, see docs/benchmarks.md), with failures as {@link MalformedResponseException}s naming the service, the
 * JSON path and what is wrong, followed by a short excerpt of the body.
 */
final class JsonBody implements AutoCloseable {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    /** Only for error bodies, which are small and read once per failed request. */
    private static final ObjectMapper ERROR_MAPPER = new ObjectMapper(FACTORY);

    static final int EXCERPT_LENGTH = 200;

    private final Service service;
    private final String body;
    private final JsonParser parser;

    private JsonBody(Service service, String body, JsonParser parser) {
        this.service = service;
        this.body = body;
        this.parser = parser;
    }

    /**
     * Opens {@code body} positioned on the root object's START_OBJECT.
     *
     * @throws MalformedResponseException if {@code body} is empty or does not start a JSON object
     */
    static JsonBody open(Service service, String body) throws MalformedResponseException {
        if (body == null || body.isBlank()) {
            throw new MalformedResponseException(service.id() + " response is empty");
        }
        JsonBody json;
        try {
            json = new JsonBody(service, body, FACTORY.createParser(body));
        } catch (IOException e) {
            throw new MalformedResponseException(service.id() + " response cannot be read: " + e.getMessage(), e);
        }
        if (json.next() != JsonToken.START_OBJECT) {
            json.close();
            throw new MalformedResponseException(service.id() + " response is not a JSON object; body starts: "
                    + excerpt(body));
        }
        return json;
    }

    /** The next token. */
    JsonToken next() throws MalformedResponseException {
        return read(JsonParser::nextToken);
    }

    /** Skips the value the parser is on (a whole object or array when on its start). */
    void skipValue() throws MalformedResponseException {
        read(JsonParser::skipChildren);
    }

    JsonToken token() {
        return parser.currentToken();
    }

    /** The current field name (on a FIELD_NAME token). */
    String name() {
        try {
            return parser.currentName();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The current scalar's text. */
    String text() throws MalformedResponseException {
        return read(JsonParser::getText);
    }

    /** The current token's value as an int, when it is an integer number that fits. */
    Integer intValue() throws MalformedResponseException {
        return read(p -> p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : null);
    }

    private interface ParserCall<T> {
        T call(JsonParser parser) throws IOException;
    }

    /** One parser call; a syntax error becomes "not valid JSON" with its line and column. */
    private <T> T read(ParserCall<T> call) throws MalformedResponseException {
        try {
            return call.call(parser);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        } catch (IOException e) {
            throw new MalformedResponseException(service.id() + " response cannot be read: " + e.getMessage(), e);
        }
    }

    /** Character offset of the current token's start in the body. */
    long tokenStart() {
        return parser.currentTokenLocation().getCharOffset();
    }

    /** Character offset just after the current token. */
    long tokenEnd() {
        return parser.currentLocation().getCharOffset();
    }

    /** The raw text of the body between two offsets, at most {@code max} characters. */
    String raw(long from, long to, int max) {
        int start = (int) Math.max(0, Math.min(from, body.length()));
        int end = (int) Math.max(start, Math.min(Math.min(to, body.length()), start + (long) max));
        return body.substring(start, end);
    }

    /** Checks that nothing but whitespace follows the root object (TaurusDB's documented extra closing brace). */
    void end() throws MalformedResponseException {
        if (next() != null) {
            JsonLocation at = parser.currentTokenLocation();
            throw new MalformedResponseException(service.id() + " response is not valid JSON at line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + " (content after the end of the JSON object); body starts: "
                    + excerpt(body));
        }
    }

    MalformedResponseException malformed(String what) {
        return new MalformedResponseException(service.id() + " response: " + what + "; body starts: "
                + excerpt(body));
    }

    private MalformedResponseException invalid(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return new MalformedResponseException(service.id() + " response is not valid JSON" + where + " ("
                + e.getOriginalMessage() + "); body starts: " + excerpt(body), e);
    }

    /** What the current value is, for messages: {@code the number 7}, {@code an array}. */
    String describe() throws MalformedResponseException {
        JsonToken t = token();
        if (t == null) {
            return "missing";
        }
        return switch (t) {
            case VALUE_STRING -> "the string \"" + abbreviate(text(), 40) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + text();
            case VALUE_TRUE, VALUE_FALSE -> "the boolean " + text();
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> t.name().toLowerCase(Locale.ROOT).replace("value_", "");
        };
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // a String source: nothing to release
        }
    }

    /** Parses without failing; null when {@code body} is not JSON (error bodies may be HTML from a proxy). */
    static JsonNode tryParse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return ERROR_MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String path(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** The start of {@code body} on one line, at most {@value #EXCERPT_LENGTH} characters. */
    static String excerpt(String body) {
        if (body == null) {
            return "<none>";
        }
        String start = body.length() > 4 * EXCERPT_LENGTH ? body.substring(0, 4 * EXCERPT_LENGTH) : body;
        return abbreviate(start.replaceAll("\\s+", " ").strip(), EXCERPT_LENGTH);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
