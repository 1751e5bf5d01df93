package dev.taskwatch.devkit.simulator;

import java.util.Map;

/**
 * TaurusDB {@code GET /mysql/v3/{project_id}/jobs?id=}, the only call it has: {@code process} for progress,
 * {@code entities}, and no {@code fail_reason} unless failed (as the spec's example leaves it out).
 */
final class TaurusDbApi implements SimulatedService {


    @Override
    public Map<String, Object> answer(SimulatedCall call) {
        SimTask task = call.byId();
        Map<String, Object> job = SimulatedJson.job(task, "process");
        job.put("entities", task.entities());
        if (task.failReason() != null) {
            job.put("fail_reason", task.failReason());
        }
        return Map.of("job", job);
    }
}
