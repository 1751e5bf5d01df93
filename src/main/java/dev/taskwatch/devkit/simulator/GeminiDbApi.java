package dev.taskwatch.devkit.simulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GeminiDB {@code GET /v3/{project_id}/jobs}: limit 10, 20 or 50, the window optional (the last 30 days when absent)
 * and at most 30 days long; with {@code id} it is also the get-by-id (the list filtered: {@code jobs[0]} or empty).
 * Jobs carry {@code start_time}/{@code end_time} (an end time even while running) and {@code fail_reason} {@code ""}
 * unless failed.
 */
final class GeminiDbApi implements SimulatedService {

    private static final Set<Integer> LIMITS = Set.of(10, 20, 50);

    @Override
    public Map<String, Object> answer(SimulatedCall call) {
        SimulatedQuery query = call.query();
        Instant now = call.now();
        Instant start = query.has("start_time") ? query.isoTime("start_time") : now.minus(SimulatedQuery.MAX_SPAN);
        call.windowStart(start);
        Instant end = query.has("end_time") ? query.isoTime("end_time") : now;
        SimulatedQuery.checkWindow(start, end, true);
        int offset = query.offset();
        int limit = query.integer("limit", 50);
        if (!LIMITS.contains(limit)) {
            throw SimulatedApiError.invalidParameter("limit must be 10, 20 or 50: " + limit).raise();
        }
        List<SimTask> matching = call.matching(start, end, true);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total_count", matching.size());
        body.put("jobs", SimulatedCall.page(matching, offset, limit).stream().map(GeminiDbApi::job).toList());
        return body;
    }

    private static Map<String, Object> job(SimTask task) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", task.id());
        job.put("name", task.name());
        job.put("status", task.rawStatus());
        job.put("start_time", SimulatedJson.UTC.format(task.createdAt()));
        job.put("end_time", SimulatedJson.UTC.format(SimulatedJson.reportedEnd(task)));
        job.put("progress", SimulatedJson.progressText(task));
        job.put("instance", SimulatedJson.instance(task));
        job.put("fail_reason", task.failReason() == null ? "" : task.failReason());
        return job;
    }
}
