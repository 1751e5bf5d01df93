package dev.taskwatch.devkit.simulator;

import dev.taskwatch.taskcenter.Service;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders simulated tasks exactly as the five specs' examples show them, quirks included:
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

    static Map<String, Object> geminiDbList(List<SimTask> page, int totalCount) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total_count", totalCount);
        body.put("jobs", page.stream().map(SimulatedJson::geminiDbJob).toList());
        return body;
    }

    static Map<String, Object> openGaussList(List<SimTask> page, int totalCount) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tasks", page.stream().map(SimulatedJson::openGaussTask).toList());
        body.put("total_count", totalCount);
        return body;
    }

    /** The DDS list answer: {@code jobs} only, no {@code total_count}. */
    static Map<String, Object> ddsList(List<SimTask> page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", page.stream().map(SimulatedJson::ddsListJob).toList());
        return body;
    }

    static Map<String, Object> ddsGet(SimTask task) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", task.id());
        job.put("name", task.name());
        job.put("status", task.rawStatus());
        job.put("created", UTC.format(task.createdAt()));
        job.put("ended", UTC.format(reportedEnd(task)));
        job.put("progress", progressText(task));
        job.put("instance", instance(task));
        job.put("fail_reason", task.failReason());
        return Map.of("job", job);
    }

    /** openGauss ShowJobDetail: the DDS job shape (huaweicloud-sdk-go-v3 gaussdbforopengauss model_job_detail.go). */
    static Map<String, Object> openGaussGet(SimTask task) {
        return ddsGet(task);
    }

    static Map<String, Object> taurusDbGet(SimTask task) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", task.id());
        job.put("name", task.name());
        job.put("status", task.rawStatus());
        job.put("created", UTC.format(task.createdAt()));
        job.put("ended", UTC.format(reportedEnd(task)));
        job.put("process", progressText(task));
        job.put("instance", instance(task));
        job.put("entities", task.entities());
        if (task.failReason() != null) {
            job.put("fail_reason", task.failReason());
        }
        return Map.of("job", job);
    }

    private static Map<String, Object> geminiDbJob(SimTask task) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", task.id());
        job.put("name", task.name());
        job.put("status", task.rawStatus());
        job.put("start_time", UTC.format(task.createdAt()));
        job.put("end_time", UTC.format(reportedEnd(task)));
        job.put("progress", progressText(task));
        job.put("instance", instance(task));
        job.put("fail_reason", task.failReason() == null ? "" : task.failReason());
        return job;
    }

    private static Map<String, Object> openGaussTask(SimTask task) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("instance_id", task.instanceId());
        info.put("instance_name", task.instanceName());
        info.put("instance_status", task.instanceStatus());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("instance_info", info);
        item.put("job_id", task.id());
        item.put("name", task.name());
        item.put("status", task.rawStatus());
        item.put("process", task.progress() == null ? null : task.progress() + "%");
        item.put("fail_reason", task.failReason());
        item.put("created_at", CHINA.format(task.createdAt()));
        item.put("ended_at", task.endedAt() == null ? null : CHINA.format(task.endedAt()));
        return item;
    }

    private static Map<String, Object> ddsListJob(SimTask task) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", task.id());
        job.put("name", task.name());
        job.put("status", task.rawStatus());
        job.put("created_at", UTC.format(task.createdAt()));
        job.put("ended_at", UTC.format(reportedEnd(task)));
        job.put("progress", progressText(task));
        job.put("instance_id", task.instanceId());
        job.put("instance_name", task.instanceName());
        job.put("fail_reason", task.failReason() == null ? "" : task.failReason());
        return job;
    }

    private static Map<String, Object> instance(SimTask task) {
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("id", task.instanceId());
        instance.put("name", task.instanceName());
        return instance;
    }

    private static String progressText(SimTask task) {
        return task.progress() == null ? "" : task.progress() + "%";
    }

    /** The end time the API reports: the real one once terminal, a meaningless one while the task runs. */
    private static Instant reportedEnd(SimTask task) {
        return task.endedAt() != null ? task.endedAt() : task.createdAt().plus(RUNNING_END_QUIRK);
    }
}
