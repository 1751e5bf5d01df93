package dev.taskwatch.taskcenter.auth;

/** Shortens identifiers that are not secret but should not be printed whole (access key ids). */
public final class Masking {

    private Masking() {}

    /** The first four characters followed by {@code ****}; {@code ****} alone for short or null values. */
    public static String mask(String value) {
        if (value == null || value.length() <= 4) {
            return "****";
        }
        return value.substring(0, 4) + "****";
    }
}
