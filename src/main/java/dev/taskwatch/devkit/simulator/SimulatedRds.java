package dev.taskwatch.devkit.simulator;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The simulated RDS task center, get-by-id only: {@code GET /rds/v3/{project_id}/jobs?id=} answering
 * {@code {"job": {id, name, status, created, ended, process, instance{id,name}, entities, fail_reason}}} as the RDS
 * API reference documents it ("Obtaining Task Information"; huaweicloud-sdk-go-v3 {@code GetJobInfoResponseBodyJob}):
 * {@code process} is {@code "60%"} while running and {@code ""} otherwise, {@code entities} is {@code {}} for tasks
 * without a description of theirs, and the times carry a {@code +0800}-style offset.
 */
final class SimulatedRds {

    static final Pattern JOBS = Pattern.compile("/rds/v3/([^/]+)/jobs/?");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx")
            .withZone(ZoneOffset.ofHours(8));

    private SimulatedRds() {}

    static Map<String, Object> get(SimTask task) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", task.id());
        job.put("name", task.name());
        job.put("status", task.rawStatus());
        job.put("created", TIME.format(task.createdAt()));
        if (task.endedAt() != null) {
            job.put("ended", TIME.format(task.endedAt()));
        }
        job.put("process", task.running() && task.progress() != null ? task.progress() + "%" : "");
        job.put("instance", Map.of("id", task.instanceId(), "name", task.instanceName()));
        job.put("entities", Map.of());
        job.put("fail_reason", task.failReason() == null ? "" : task.failReason());
        return Map.of("job", job);
    }
}
