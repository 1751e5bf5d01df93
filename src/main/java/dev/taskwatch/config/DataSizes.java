package dev.taskwatch.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Data sizes as the configuration writes them: plain bytes ({@code 1048576}) or a number with a unit: {@code B},
 * {@code KB}/{@code KiB}, {@code MB}/{@code MiB}, {@code GB}/{@code GiB}. Both spellings are binary (1 KB = 1024 bytes),
 * as in Spring's and Kafka's own sizes, so {@code 1MB} and {@code 1MiB} mean the same.
 */
public final class DataSizes {

    static final String HINT = "(use e.g. 512KB, 10MB, 1MiB or plain bytes)";
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b|b)?", Pattern.CASE_INSENSITIVE);

    private DataSizes() {}

    /** @throws IllegalArgumentException when {@code text} is not a size or does not fit a long */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid data size '" + text + "'");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        try {
            long amount = Long.parseLong(m.group(1));
            if (amount > Long.MAX_VALUE >> shift) {
                throw new IllegalArgumentException("data size '" + text + "' is too large");
            }
            return amount << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("data size '" + text + "' is too large");
        }
    }

    /** The shortest exact form: {@code 10MB}, {@code 512KB}, {@code 1000B}. */
    public static String format(long bytes) {
        String[] units = {"B", "KB", "MB", "GB"};
        int i = 0;
        while (i < units.length - 1 && bytes != 0 && bytes % 1024 == 0) {
            bytes /= 1024;
            i++;
        }
        return bytes + units[i];
    }
}
