package dev.taskwatch.runtime;

import dev.taskwatch.avro.TaskEvent;

/** How events are printed: {@code text} for people, {@code jsonl} for machines (one JSON object per line). */
public enum EventFormat {
    TEXT {
        @Override
        public String format(TaskEvent event) {
            return EventText.format(event);
        }
    },
    JSONL {
        @Override
        public String format(TaskEvent event) {
            return EventJson.format(event);
        }
    };

    /** One line, without the newline. */
    public abstract String format(TaskEvent event);
}
