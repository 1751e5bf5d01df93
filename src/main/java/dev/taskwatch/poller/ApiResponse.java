package dev.taskwatch.poller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A task-center HTTP response as the poller needs it.
 *
 * @param retryAfter the raw {@code Retry-After} header, or null
 * @param receivedAt when the response arrived (becomes {@code observed_at})
 * @param source     endpoint and path without query or credentials (becomes {@code source})
 */
public record ApiResponse(int status, String body, String retryAfter, Instant receivedAt, String source) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The API error code of an error body ({@code error_code} or {@code code}, e.g. {@code APIG.0308}), or null when
     * the body has none or is not JSON. Success bodies are not inspected.
     */
    public String apiErrorCode() {
        if ((status >= 200 && status < 300) || body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            for (String field : new String[] {"error_code", "code"}) {
                JsonNode code = node == null ? null : node.get(field);
                if (code != null && code.isValueNode() && !code.asText().isBlank()) {
                    return code.asText();
                }
            }
        } catch (Exception e) {
            // not JSON: no code
        }
        return null;
    }

    /** {@code Retry-After} as a delay from {@link #receivedAt}: delta-seconds or an HTTP date; null if absent/invalid. */
    public Duration retryAfterDelay() {
        if (retryAfter == null || retryAfter.isBlank()) {
            return null;
        }
        String value = retryAfter.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            // not delta-seconds, try an HTTP date
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(receivedAt, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A short single-line start of the body for logs (API bodies carry no credentials). */
    public String excerpt() {
        return Excerpts.of(body);
    }
}
