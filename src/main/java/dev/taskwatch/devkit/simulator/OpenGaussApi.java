package dev.taskwatch.devkit.simulator;

import dev.taskwatch.taskcenter.OffsetReading;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * openGauss {@code GET /v3/{project_id}/tasks} (limit 1..100, the window optional and in UNIX milliseconds, offset
 * read as items, or as a page number from 1 with {@link SimulatorSettings#offsetReading}) and
 * {@code GET /v3/{project_id}/jobs?id=} (ShowJobDetail: {@code {"job": {...}}}, the DDS job shape). Tasks report
 * {@code process} ({@code null} unless running), {@code ended_at: null} while running and times at {@code +0800}, as
 * the spec's example does.
 */
final class OpenGaussApi implements SimulatedService {


    @Override
    public Map<String, Object> answer(SimulatedCall call) {
        return call.pathGroup(2).equals("jobs") ? SimulatedJson.jobDetail(call.byId()) : list(call);
    }

    private static Map<String, Object> list(SimulatedCall call) {
        SimulatedQuery query = call.query();
        Instant start = query.has("start_time") ? query.millisTime("start_time") : Instant.MIN;
        call.windowStart(start);
        Instant end = query.has("end_time") ? query.millisTime("end_time") : Instant.MAX;
        if (query.has("start_time") && query.has("end_time")) {
            SimulatedQuery.checkWindow(start, end, false);
        }
        int limit = query.limitUpTo100(100);
        int offset = query.offset();
        if (call.settings().offsetReading() == OffsetReading.PAGES) {
            offset = Math.max(0, offset - 1) * limit; // page 1 (or 0) is the first page
        }
        List<SimTask> matching = call.matching(start, end, false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tasks", SimulatedCall.page(matching, offset, limit).stream().map(OpenGaussApi::task).toList());
        body.put("total_count", matching.size());
        return body;
    }

    private static Map<String, Object> task(SimTask task) {
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
        item.put("created_at", SimulatedJson.CHINA.format(task.createdAt()));
        item.put("ended_at", task.endedAt() == null ? null : SimulatedJson.CHINA.format(task.endedAt()));
        return item;
    }
}
