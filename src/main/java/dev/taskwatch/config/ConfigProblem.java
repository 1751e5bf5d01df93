package dev.taskwatch.config;

/**
 * One configuration problem: the key path it concerns ({@code targets[1].interval}, {@code credentials.prod.token},
 * {@code (file)} or {@code (root)}) and what is wrong, never the value of a secret. {@link #toString()} is the
 * one-line form users see: {@code key: message}.
 */
public record ConfigProblem(String key, String message) {

    /** Splits a {@code key: message} line at its first {@code ": "}. */
    static ConfigProblem parse(String line) {
        int colon = line.indexOf(": ");
        return colon < 0 ? new ConfigProblem(line, "") : new ConfigProblem(line.substring(0, colon),
                line.substring(colon + 2));
    }

    @Override
    public String toString() {
        return message.isEmpty() ? key : key + ": " + message;
    }
}
