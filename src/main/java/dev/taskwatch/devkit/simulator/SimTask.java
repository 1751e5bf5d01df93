package dev.taskwatch.devkit.simulator;

import dev.taskwatch.taskcenter.Service;
import java.time.Instant;
import java.util.Map;

/**
 * An immutable view of one simulated task, as the model holds it (the wire formats derive their quirks from it).
 *
 * @param name           the name exactly as served, possibly with stray whitespace (TaurusDB)
 * @param rawStatus      {@code Running}, {@code Completed}, {@code Failed}, {@code Canceled} or anything scripted
 * @param progress       0..100 while running, null otherwise
 * @param endedAt        set once the task is terminal, null while it runs
 * @param failReason     set only for Failed tasks
 * @param instanceStatus openGauss {@code instance_info.instance_status}
 * @param entities       TaurusDB {@code entities} object (JSON-ready maps/lists/strings)
 */
public record SimTask(
        Service service,
        String projectId,
        String id,
        String name,
        String rawStatus,
        Integer progress,
        Instant createdAt,
        Instant endedAt,
        String instanceId,
        String instanceName,
        String instanceStatus,
        String failReason,
        Map<String, Object> entities) {

    public boolean running() {
        return "Running".equals(rawStatus);
    }
}
