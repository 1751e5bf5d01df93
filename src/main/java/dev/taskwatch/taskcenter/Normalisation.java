package dev.taskwatch.taskcenter;

import dev.taskwatch.model.TaskStatuses;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The normalisation rules of docs/design.md#data-contract, in one place for every dialect: dialects only say which JSON field
 * carries what ({@link RawTask}); everything about statuses, progress, timestamps, empty strings and whitespace is
 * decided here.
 */
public final class Normalisation {

    /**
     * {@code 2023-09-12T06:44:01+0000}, {@code ...+0800}, {@code ...Z}, {@code ...+08:00}, {@code ...+08}, with
     * optional fractions of a second. A timestamp without an offset is refused: guessing a zone would shift it.
     */
    private static final DateTimeFormatter API_TIMESTAMP = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendPattern("[XXX][XX][X]")
            .toFormatter(Locale.ROOT);

    private Normalisation() {}

    /**
     * The canonical status of {@code raw}, compared case-insensitively after trimming. Known values: Pending, Running,
     * Completed, Failed, Canceled/Cancelled, and TaurusDB's Unauthorized ("waiting for authorisation": the task has
     * not run yet and may still run, so PENDING). Anything else is UNKNOWN, never an error; the caller keeps the raw
     * value in {@code raw_status}.
     */
    public static TaskStatus status(String raw) {
        if (raw == null) {
            return TaskStatus.UNKNOWN;
        }
        switch (raw) { // the spellings the APIs use, without the lower-casing copy (poller hot path)
            case "Running":
                return TaskStatus.RUNNING;
            case "Completed":
                return TaskStatus.COMPLETED;
            case "Failed":
                return TaskStatus.FAILED;
            case "Pending":
                return TaskStatus.PENDING;
            default:
                break;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "pending", "unauthorized" -> TaskStatus.PENDING;
            case "running" -> TaskStatus.RUNNING;
            case "completed" -> TaskStatus.COMPLETED;
            case "failed" -> TaskStatus.FAILED;
            case "canceled", "cancelled" -> TaskStatus.CANCELED;
            default -> TaskStatus.UNKNOWN;
        };
    }

    /**
     * Progress in percent from {@code "14%"}, {@code "14"}, {@code " 14 % "} or {@code "14.5%"} (fractions are cut:
     * 14); null for null or blank. Values outside 0..100 or that are not numbers are refused rather than clamped: a
     * bogus 250% stored as 100 would silence every later PROGRESSED event of the task.
     *
     * @throws IllegalArgumentException naming the value when it is not a percentage
     */
    public static Integer progressPercent(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        int plain = plainPercent(raw);
        if (plain >= 0) {
            return plain;
        }
        String number = raw.trim();
        if (number.endsWith("%")) {
            number = number.substring(0, number.length() - 1).trim();
        }
        BigDecimal value;
        try {
            value = new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("progress '" + raw + "' is not a percentage");
        }
        if (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("progress '" + raw + "' is outside 0..100");
        }
        return value.intValue();
    }

    /** {@code "14%"} or {@code "14"} (1 to 3 digits, at most 100) read by hand; -1 for any other form. */
    private static int plainPercent(String raw) {
        int end = raw.endsWith("%") ? raw.length() - 1 : raw.length();
        if (end < 1 || end > 3) {
            return -1;
        }
        int value = digits(raw, 0, end);
        return value > 100 ? -1 : value;
    }

    /**
     * The instant of an API timestamp (see {@link #API_TIMESTAMP}); null for null or blank (TaurusDB leaves
     * {@code created} empty while an instance is being created).
     *
     * @throws IllegalArgumentException naming the value when it is not such a timestamp
     */
    public static Instant timestamp(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String text = raw.trim();
        Instant common = parseCommonForm(text);
        if (common != null) {
            return common;
        }
        try {
            return OffsetDateTime.parse(text, API_TIMESTAMP).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp '" + raw + "' is not of the form yyyy-MM-ddTHH:mm:ss+hhmm");
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timestamp '" + raw + "' is invalid: " + e.getMessage());
        }
    }

    /**
     * The form every API in the specs writes, {@code yyyy-MM-ddTHH:mm:ss+hhmm} (24 characters), read by hand: the
     * formatter costs about a quarter of a poll cycle's CPU (benchmark profile, docs/benchmarks.md). Null when
     * {@code text} is not exactly that form or not a valid date, so the formatter decides (and words the error).
     */
    static Instant parseCommonForm(String text) {
        if (text.length() != 24 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':'
                || (text.charAt(19) != '+' && text.charAt(19) != '-')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int offsetHours = digits(text, 20, 2);
        int offsetMinutes = digits(text, 22, 2);
        if ((year | month | day | hour | minute | second | offsetHours | offsetMinutes) < 0
                || offsetHours > 18 || offsetMinutes > 59) {
            return null;
        }
        try {
            int sign = text.charAt(19) == '-' ? -1 : 1;
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(sign * (offsetHours * 3600 + offsetMinutes * 60));
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The non-negative number of {@code length} ASCII digits at {@code from}, or -1 if any is not a digit. */
    private static int digits(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Null for null, empty or blank; otherwise the text as the API wrote it. */
    public static String failReason(String raw) {
        return raw == null || raw.isBlank() ? null : raw;
    }

    /** The name with surrounding whitespace removed ({@code " RestartGaussDBInstance"}). */
    public static String name(String raw) {
        return raw.strip();
    }

    /** Null for null or blank, the trimmed text otherwise (instance ids and names). */
    public static String optionalText(String raw) {
        return raw == null || raw.isBlank() ? null : raw.strip();
    }

    /**
     * The {@code source} of a snapshot: scheme, host, port and path only. Query, fragment and user info are dropped
     * so that nothing a caller passes can put a credential into a published record.
     */
    public static String source(String endpointAndPath) {
        String s = endpointAndPath;
        int cut = indexOfAny(s, '?', '#');
        if (cut >= 0) {
            s = s.substring(0, cut);
        }
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            int hostStart = scheme + 3;
            int pathStart = s.indexOf('/', hostStart);
            int at = s.lastIndexOf('@', pathStart < 0 ? s.length() : pathStart);
            if (at >= hostStart) {
                s = s.substring(0, hostStart) + s.substring(at + 1);
            }
        }
        return s;
    }

    /** The source of a request to {@code endpoint}: endpoint without trailing '/' plus the request's path. */
    public static String source(java.net.URI endpoint, ApiRequest request) {
        String base = endpoint.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return source(base + request.path());
    }

    /**
     * Builds the snapshot of one task. {@code ended_at} is kept only for terminal statuses: the APIs report an end
     * time for running tasks too. {@code source} must already be sanitised by {@link #source(String)} (once per
     * response, not per task).
     *
     * @throws IllegalArgumentException naming the field when a value cannot be normalised
     */
    static TaskSnapshot snapshot(Target target, RawTask raw, Instant observedAt, String source) {
        TaskStatus status = status(raw.status());
        Integer progress;
        Instant created;
        Instant ended;
        try {
            progress = progressPercent(raw.progress());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(raw.progressField() + ": " + e.getMessage(), e);
        }
        try {
            created = timestamp(raw.createdAt());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(raw.createdField() + ": " + e.getMessage(), e);
        }
        try {
            ended = TaskStatuses.isTerminal(status) ? timestamp(raw.endedAt()) : null;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(raw.endedField() + ": " + e.getMessage(), e);
        }
        // The all-arguments constructor, in schema order: the builder re-validates every field on every snapshot
        // (about twice the cost of the rest of building it, on the poller's per-task path). Every field it would
        // check for null is non-null here: target fields are required by the configuration, TaskReader rejects an
        // element without id, name or status first, observedAt and source are the poller's.
        return new TaskSnapshot(
                target.service().id(),
                target.region(),
                target.projectId(),
                raw.id().strip(),
                name(raw.name()),
                status,
                raw.status(),
                progress,
                created,
                ended,
                optionalText(raw.instanceId()),
                optionalText(raw.instanceName()),
                optionalText(raw.instanceStatus()),
                failReason(raw.failReason()),
                new TreeMap<>(raw.details()),
                observedAt,
                source);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j;
        }
        return j < 0 ? i : Math.min(i, j);
    }

    /** What a dialect read from one task object, before normalisation; field names are for error messages. */
    record RawTask(
            String id,
            String name,
            String status,
            String progress,
            String progressField,
            String createdAt,
            String createdField,
            String endedAt,
            String endedField,
            String instanceId,
            String instanceName,
            String instanceStatus,
            String failReason,
            Map<String, String> details) {}
}
