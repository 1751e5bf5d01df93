package dev.taskwatch.config;

/** What a value sent in an HTTP header may not hold: the one check of credentials, registry auth and webhook headers. */
final class Rules {

    private Rules() {}

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
