package dev.taskwatch.devkit.simulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DDS {@code GET /v3/{project_id}/jobs}: a list when it names a window (mandatory, at most 30 days, limit 1..100,
 * offset absent, 0 or more; {@code jobs} only, no {@code total_count}); a get-by-id ({@code {"job": {...}}}) when it
 * names an {@code id} and no window.
 */
final class DdsApi implements SimulatedService {


    @Override
    public Map<String, Object> answer(SimulatedCall call) {
        SimulatedQuery query = call.query();
        boolean get = query.has("id") && !query.has("start_time") && !query.has("end_time");
        return get ? SimulatedJson.jobDetail(call.byId()) : list(call);
    }

    private static Map<String, Object> list(SimulatedCall call) {
        SimulatedQuery query = call.query();
        query.require("start_time");
        query.require("end_time");
        Instant start = query.isoTime("start_time");
        call.windowStart(start);
        Instant end = query.isoTime("end_time");
        SimulatedQuery.checkWindow(start, end, true);
        // The DDS spec calls offset "a positive integer" with default 0; real clients send offset=0 (Terraform) or
        // leave it out (taskwatch's first page), so both are accepted; only a negative offset is refused.
        int offset = query.offset();
        int limit = query.limitUpTo100(100);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", SimulatedCall.page(call.matching(start, end, true), offset, limit).stream()
                .map(DdsApi::listJob).toList());
        return body;
    }

    private static Map<String, Object> listJob(SimTask task) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", task.id());
        job.put("name", task.name());
        job.put("status", task.rawStatus());
        job.put("created_at", SimulatedJson.UTC.format(task.createdAt()));
        job.put("ended_at", SimulatedJson.UTC.format(SimulatedJson.reportedEnd(task)));
        job.put("progress", SimulatedJson.progressText(task));
        job.put("instance_id", task.instanceId());
        job.put("instance_name", task.instanceName());
        job.put("fail_reason", task.failReason() == null ? "" : task.failReason());
        return job;
    }
}
