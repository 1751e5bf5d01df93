package dev.taskwatch.runtime;

import dev.taskwatch.model.EventJson;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.notify.TaskCloudEvents;

/**
 * How events are printed: {@code text} for people, {@code jsonl} for machines (one JSON object per line),
 * {@code cloudevents} for log shippers and audit (one structured-mode CloudEvent, JSON format, per line).
 */
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
    },
    CLOUDEVENTS {
        @Override
        public String format(TaskEvent event) {
            return TaskCloudEvents.jsonLine(event);
        }
    };

    /** One line, without the newline. */
    public abstract String format(TaskEvent event);
}
