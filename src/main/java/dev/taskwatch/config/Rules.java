package dev.taskwatch.config;

import java.time.Duration;
import java.util.List;

/** The one way a configuration record reports broken rules: one line per problem, key path first. */
final class Rules {

    private Rules() {}

    /** @throws IllegalArgumentException holding the problems one per line, when there are any */
    static void check(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }

    /** Adds a problem unless {@code value} is more than zero. */
    static void positive(List<String> problems, String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            problems.add(key + ": must be more than 0 " + Durations.HINT);
        }
    }

    /** Whether a credential value holds a character an HTTP header cannot carry (CR, LF, other controls). */
    static boolean headerUnsafe(String value) {
        return value != null && value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
    }

    static final String HEADER_UNSAFE = "contains a line break or another control character, which cannot be sent"
            + " in an HTTP header (value not shown)";

    static String headerUnsafeProblem(String path) {
        return path + ": " + HEADER_UNSAFE;
    }
}
