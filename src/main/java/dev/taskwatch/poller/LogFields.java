package dev.taskwatch.poller;

import dev.taskwatch.taskcenter.Target;
import org.slf4j.MDC;

/**
 * The MDC fields of the poller's log lines: {@code target} and {@code credential} (the credential's name, never its
 * secret) around a target's work, {@code task_id} around one task's. The JSON log format carries them as fields, so a
 * log collector can filter by target or task without parsing messages. Close to remove what was put (the poller's
 * threads are pooled: a field left behind would label another target's lines).
 */
final class LogFields implements AutoCloseable {

    static final String TARGET = "target";
    static final String CREDENTIAL = "credential";
    static final String TASK_ID = "task_id";

    private final String[] keys;

    private LogFields(String... keys) {
        this.keys = keys;
    }

    static LogFields target(Target target) {
        MDC.put(TARGET, target.name());
        MDC.put(CREDENTIAL, target.credentials());
        return new LogFields(TARGET, CREDENTIAL);
    }

    static LogFields task(String taskId) {
        MDC.put(TASK_ID, taskId);
        return new LogFields(TASK_ID);
    }

    @Override
    public void close() {
        for (String key : keys) {
            MDC.remove(key);
        }
    }
}
