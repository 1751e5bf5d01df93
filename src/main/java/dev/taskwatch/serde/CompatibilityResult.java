package dev.taskwatch.serde;

import java.util.List;

/** Outcome of a compatibility test; {@code messages} says why, naming fields, when not compatible. */
public record CompatibilityResult(boolean compatible, List<String> messages) {

    public static CompatibilityResult ok() {
        return new CompatibilityResult(true, List.of());
    }
}
