package dev.taskwatch.poller;

import dev.taskwatch.taskcenter.TaskReject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a target does with the task elements its dialect could not read: count ({@code taskwatch.poller.rejected}
 * {target}), log with an excerpt, and dead-letter them, so that one bad task does not hold back the good ones of its
 * page. A bad element stays in the API's answers until it ends or leaves the window, so the same element comes back
 * every cycle: it is dead-lettered and counted once per process (remembered by its excerpt, a bounded number of
 * them), and only a changed element (e.g. its status moved on) is dead-lettered again.
 */
final class RejectedTasks {

    private static final Logger LOG = LoggerFactory.getLogger(RejectedTasks.class);
    /** Enough for every bad element a target can show at once; beyond it the oldest may be dead-lettered again. */
    static final int REMEMBERED = 1024;

    private final String target;
    private final SnapshotSink sink;
    private final Counter rejected;
    private final Map<String, Boolean> deadLettered = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    RejectedTasks(String target, SnapshotSink sink, MeterRegistry registry) {
        this.target = target;
        this.sink = sink;
        this.rejected = Counter.builder("taskwatch.poller.rejected").tag("target", target)
                .description("Task elements the dialect could not read, dead-lettered").register(registry);
    }

    /** Dead-letters the rejects not dead-lettered before; returns how many were new. */
    synchronized int handle(List<TaskReject> rejects, String source) throws SinkUnavailableException {
        int fresh = 0;
        for (TaskReject reject : rejects) {
            String identity = reject.reason() + '\n' + reject.excerpt();
            if (deadLettered.containsKey(identity)) {
                LOG.debug("Target {}: task {} still unreadable ({}); dead-lettered before", target,
                        reject.taskId(), reject.reason());
                continue;
            }
            sink.deadLetter(target, source, reject);
            deadLettered.put(identity, Boolean.TRUE);
            rejected.increment();
            fresh++;
            LOG.warn("Target {}: task {} at {} cannot be read and was dead-lettered: {}; element: {}", target,
                    reject.taskId() == null ? "(id unreadable)" : reject.taskId(), source, reject.reason(),
                    Excerpts.of(reject.excerpt()));
        }
        return fresh;
    }
}
