package dev.taskwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwatch.Urls;
import dev.taskwatch.taskcenter.CloudProfile;
import dev.taskwatch.taskcenter.Service;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the value of one kind of setting is read from the configuration tree and shown in documentation. Environment
 * variables and flat connector properties give text only, so every type also parses its text form.
 *
 * @param name     how the documentation and the connector's {@code ConfigDef} call the type
 * @param secret   whether values are secrets (never shown; {@code PASSWORD} in the connector)
 */
public record SettingType<T>(String name, boolean secret, Parser<T> parser, Function<T, String> formatter) {

    /** Reads a present, non-empty value; throws {@link BadValue} with the problem after the key path. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(JsonNode value) throws BadValue;
    }

    /** A value of the wrong type or form; the message follows {@code <path>: } in the problem line. */
    public static final class BadValue extends Exception {
        public BadValue(String message) {
            super(message, null, false, false);
        }
    }

    public static final SettingType<String> STRING = new SettingType<>("string", false, SettingType::text,
            String::valueOf);
    public static final SettingType<String> SECRET = new SettingType<>("secret", true, SettingType::text,
            v -> "****");
    public static final SettingType<Path> FILE = new SettingType<>("file", false, v -> Path.of(text(v)),
            String::valueOf);
    public static final SettingType<List<String>> LIST = new SettingType<>("list", false, SettingType::strings,
            v -> String.join(", ", v));
    public static final SettingType<Integer> INT = new SettingType<>("integer", false, v -> scalar(v, "an integer",
            n -> n.isIntegralNumber() && n.canConvertToInt() ? n.intValue() : null, Integer::parseInt),
            String::valueOf);
    public static final SettingType<Double> DECIMAL = new SettingType<>("number", false, v -> scalar(v, "a number",
            n -> n.isNumber() ? n.doubleValue() : null, Double::parseDouble), String::valueOf);
    public static final SettingType<Boolean> BOOLEAN = new SettingType<>("boolean", false, v -> scalar(v,
            "true or false", n -> n.isBoolean() ? n.booleanValue() : null, SettingType::parseBoolean),
            String::valueOf);
    public static final SettingType<Duration> DURATION = new SettingType<>("duration", false, SettingType::duration,
            Durations::format);
    public static final SettingType<Long> DATA_SIZE = new SettingType<>("data size", false, SettingType::dataSize,
            DataSizes::format);
    /** An http or https URL. */
    public static final SettingType<URI> URL = new SettingType<>("URL", false, SettingType::httpUrl,
            String::valueOf);
    public static final SettingType<CloudProfile> CLOUD = new SettingType<>("cloud", false, v -> {
        try {
            return CloudProfile.fromId(text(v));
        } catch (IllegalArgumentException e) {
            throw new BadValue(e.getMessage());
        }
    }, CloudProfile::id);
    public static final SettingType<Service> SERVICE = new SettingType<>("service", false,
            v -> service(text(v)), Service::id);
    public static final SettingType<List<Service>> SERVICES = new SettingType<>("list of services", false, v -> {
        List<Service> services = new ArrayList<>();
        for (String id : strings(v)) {
            services.add(service(id));
        }
        return services;
    }, v -> v.stream().map(Service::id).collect(Collectors.joining(", ")));
    /** Free keys below the setting (dots allowed, nested mappings joined with dots); read by the binder. */
    public static final SettingType<java.util.Map<String, String>> MAP = map("map", false);
    /** A {@link #MAP} whose values may be secrets (request headers): never shown. */
    public static final SettingType<java.util.Map<String, String>> SECRET_MAP = map("map of secrets", true);

    private static SettingType<java.util.Map<String, String>> map(String name, boolean secret) {
        return new SettingType<>(name, secret, v -> {
            throw new BadValue("expected a mapping, got " + kind(v));
        }, v -> String.join(", ", v.keySet()));
    }

    /** A URI that parses; {@code invalid} and {@code expected} word the problem ("invalid proxy", its form). */
    public static SettingType<URI> uri(String invalid, String expected) {
        return new SettingType<>("URL", false, v -> {
            String text = text(v);
            try {
                return new URI(text.trim());
            } catch (URISyntaxException e) {
                throw new BadValue(invalid + " '" + Urls.redact(text) + "' (expected " + expected + ")");
            }
        }, String::valueOf);
    }

    /** Text that is one of {@code values}, compared in lower case. */
    public static SettingType<String> choice(List<String> values) {
        return new SettingType<>("one of " + String.join(", ", values), false, v -> {
            String text = text(v).toLowerCase(Locale.ROOT);
            if (!values.contains(text)) {
                throw new BadValue("unknown value '" + text + "' (one of " + String.join(", ", values) + ")");
            }
            return text;
        }, String::valueOf);
    }

    /** The default as the documentation shows it, null when there is none to show (none, or an empty list). */
    public String format(T value) {
        if (value == null || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof java.util.Map<?, ?> m && m.isEmpty()) {
            return null;
        }
        return formatter.apply(value);
    }

    // ---------------------------------------------------------------- parsers

    static String text(JsonNode value) throws BadValue {
        if (!value.isValueNode()) {
            throw new BadValue("expected a string, got " + kind(value));
        }
        return value.asText();
    }

    /** A list of strings: a YAML list of scalars, or one comma-separated string (environment, flat properties). */
    static List<String> strings(JsonNode value) throws BadValue {
        if (value.isValueNode()) {
            return Arrays.stream(value.asText().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        if (!value.isArray()) {
            throw new BadValue("expected a list of strings, got " + kind(value));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.isNull()) {
                throw new BadValue("expected a list of strings, got an item " + kind(item));
            }
            out.add(item.asText());
        }
        return out;
    }

    /**
     * A typed scalar: the YAML value when it already has the type ({@code typed} non-null), else its text parsed
     * (environment variables and flat properties are always text).
     */
    private static <T> T scalar(JsonNode value, String expected, Function<JsonNode, T> typed,
            Function<String, T> parse) throws BadValue {
        T direct = typed.apply(value);
        if (direct != null) {
            return direct;
        }
        if (value.isTextual()) {
            try {
                return parse.apply(value.asText().trim());
            } catch (IllegalArgumentException e) {
                // NumberFormatException included; reported below
            }
        }
        throw new BadValue("expected " + expected + ", got " + (value.isValueNode() ? "'" + value.asText() + "'"
                : kind(value)));
    }

    private static boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(text);
        };
    }

    private static Duration duration(JsonNode value) throws BadValue {
        if (!value.isValueNode()) {
            throw new BadValue("expected a duration " + Durations.HINT + ", got " + kind(value));
        }
        try {
            return Durations.parse(value.asText());
        } catch (IllegalArgumentException e) {
            throw new BadValue("invalid duration '" + value.asText() + "' " + Durations.HINT);
        }
    }

    private static Long dataSize(JsonNode value) throws BadValue {
        if (!value.isValueNode()) {
            throw new BadValue("expected a data size " + DataSizes.HINT + ", got " + kind(value));
        }
        try {
            return DataSizes.parse(value.asText());
        } catch (IllegalArgumentException e) {
            throw new BadValue(e.getMessage() + " " + DataSizes.HINT);
        }
    }

    private static URI httpUrl(JsonNode value) throws BadValue {
        String text = text(value);
        try {
            URI uri = new URI(text.trim());
            if (Urls.isHttpOrHttps(uri)) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new BadValue("invalid URL '" + Urls.redact(text) + "' (expected http(s)://host[:port][/path])");
    }

    private static Service service(String id) throws BadValue {
        try {
            return Service.fromId(id.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadValue("unknown service '" + id + "' (one of " + serviceIds() + ")");
        }
    }

    static String serviceIds() {
        return Arrays.stream(Service.values()).map(Service::id).collect(Collectors.joining(", "));
    }

    /** How a problem shows a value of the wrong shape (never more than a scalar's own text). */
    static String kind(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull()) {
            return "nothing";
        }
        return "'" + node.asText() + "'";
    }
}
