package dev.taskwatch.devkit.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the simulated services' JSON shapes share (each shape lives with its service), quirks of the five specs'
 * examples included:
 * <ul>
 *   <li>timestamps {@code yyyy-MM-dd'T'HH:mm:ssZ} with an offset without colon: {@code +0000}, and {@code +0800}
 *       for openGauss (as its example shows);</li>
 *   <li>GeminiDB, DDS and TaurusDB report an end time while a task runs ({@link #RUNNING_END_QUIRK} after its
 *       creation); openGauss reports {@code ended_at: null} while running;</li>
 *   <li>progress is {@code "14%"} while running and {@code ""} otherwise; openGauss calls it {@code process} and
 *       writes {@code null} when not running; TaurusDB calls it {@code process} and writes {@code ""};</li>
 *   <li>{@code fail_reason}: GeminiDB and DDS lists write {@code ""} unless failed, the DDS get and openGauss write
 *       {@code null}, TaurusDB leaves the field out (as its example does);</li>
 *   <li>the DDS list has no {@code total_count}.</li>
 * </ul>
 */
final class SimulatedJson {

    static final Duration RUNNING_END_QUIRK = Duration.ofSeconds(2);

    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx")
            .withZone(ZoneOffset.UTC);
    static final DateTimeFormatter CHINA = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx")
            .withZone(ZoneOffset.ofHours(8));

    private SimulatedJson() {}

    /**
     * The DDS get-by-id answer {@code {"job": {...}}}, which openGauss ShowJobDetail shares (huaweicloud-sdk-go-v3
     * gaussdbforopengauss model_job_detail.go); {@code fail_reason} null unless failed.
     */
    static Map<String, Object> jobDetail(SimTask task) {
        Map<String, Object> job = job(task, "progress");
        job.put("fail_reason", task.failReason());
        return Map.of("job", job);
    }

    /** The fields of a job read by id: {@code created}, {@code ended}, progress under its service's name, instance. */
    static Map<String, Object> job(SimTask task, String progressName) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", task.id());
        job.put("name", task.name());
        job.put("status", task.rawStatus());
        job.put("created", UTC.format(task.createdAt()));
        job.put("ended", UTC.format(reportedEnd(task)));
        job.put(progressName, progressText(task));
        job.put("instance", instance(task));
        return job;
    }

    static Map<String, Object> instance(SimTask task) {
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("id", task.instanceId());
        instance.put("name", task.instanceName());
        return instance;
    }

    static String progressText(SimTask task) {
        return task.progress() == null ? "" : task.progress() + "%";
    }

    /** The end time the API reports: the real one once terminal, a meaningless one while the task runs. */
    static Instant reportedEnd(SimTask task) {
        return task.endedAt() != null ? task.endedAt() : task.createdAt().plus(RUNNING_END_QUIRK);
    }
}
