package dev.taskwatch.cli;

import dev.taskwatch.runtime.EventFormat;

/** {@code --print-events}: how emitted events are printed on stdout, or not at all. */
public enum PrintEvents {
    TEXT, JSONL, NONE;

    /** The printer format, or null for {@link #NONE}. */
    EventFormat format() {
        return switch (this) {
            case TEXT -> EventFormat.TEXT;
            case JSONL -> EventFormat.JSONL;
            case NONE -> null;
        };
    }
}
