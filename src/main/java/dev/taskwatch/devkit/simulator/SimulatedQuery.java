package dev.taskwatch.devkit.simulator;

import dev.taskwatch.taskcenter.Service;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The query parameters of one request (form-decoded, the first of repeated names wins) and how the simulated APIs
 * read and check them; a bad value raises the OTC "invalid parameter" error naming the parameter.
 */
final class SimulatedQuery {

    /** Longest time window the list APIs accept. */
    static final Duration MAX_SPAN = Service.MAX_WINDOW_SPAN;

    private static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx");

    private final Map<String, String> values;

    private SimulatedQuery(Map<String, String> values) {
        this.values = values;
    }

    static SimulatedQuery parse(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.putIfAbsent(name, value);
            }
        }
        return new SimulatedQuery(query);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value, null when absent. */
    String get(String name) {
        return values.get(name);
    }

    /** The value, or null when absent or empty. */
    String nonEmpty(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    void require(String name) {
        if (!has(name) || get(name).isBlank()) {
            throw SimulatedApiError.invalidParameter(name + " is mandatory").raise();
        }
    }

    int integer(String name, int defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw SimulatedApiError.invalidParameter(name + " must be an integer: '" + value + "'").raise();
        }
    }

    /** {@code offset}, 0 when absent; only a negative offset is refused. */
    int offset() {
        int offset = integer("offset", 0);
        if (offset < 0) {
            throw SimulatedApiError.invalidParameter("offset cannot be negative: " + offset).raise();
        }
        return offset;
    }

    /** {@code limit} (or its default) between 1 and 100. */
    int limitUpTo100(int defaultValue) {
        int limit = integer("limit", defaultValue);
        if (limit < 1 || limit > 100) {
            throw SimulatedApiError.invalidParameter("limit must be between 1 and 100: " + limit).raise();
        }
        return limit;
    }

    /**
     * {@code yyyy-MM-dd'T'HH:mm:ssZ} with a {@code +HHMM} offset. A {@code +} sent unencoded arrives as a blank after
     * form decoding; that is read as {@code +} rather than rejected, since real gateways differ on it.
     */
    Instant isoTime(String name) {
        String value = values.get(name);
        String normalised = value.matches(".*T\\d\\d:\\d\\d:\\d\\d \\d{4}")
                ? value.substring(0, value.length() - 5) + "+" + value.substring(value.length() - 4)
                : value;
        try {
            return OffsetDateTime.parse(normalised, WINDOW).toInstant();
        } catch (DateTimeParseException e) {
            throw SimulatedApiError.invalidParameter(name + " must have the format yyyy-mm-ddThh:mm:ssZ (e.g. "
                    + "2023-09-12T06:44:01+0000): '" + value + "'").raise();
        }
    }

    Instant millisTime(String name) {
        String value = values.get(name);
        if (!value.matches("\\d{1,15}")) {
            throw SimulatedApiError.invalidParameter(name + " must be a UNIX timestamp in milliseconds: '" + value + "'")
                    .raise();
        }
        return Instant.ofEpochMilli(Long.parseLong(value));
    }

    /** The end must follow the start; with {@code limitSpan}, by at most {@link #MAX_SPAN}. */
    static void checkWindow(Instant start, Instant end, boolean limitSpan) {
        if (!end.isAfter(start)) {
            throw SimulatedApiError.invalidParameter("end_time must be later than start_time").raise();
        }
        if (limitSpan && Duration.between(start, end).compareTo(MAX_SPAN) > 0) {
            throw SimulatedApiError.invalidParameter("the time span between start_time and end_time cannot exceed 30 days")
                    .raise();
        }
    }
}
