package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.time.Instant;
import java.util.Optional;

/**
 * RDS (Relational Database Service) task center: get-by-id, {@code GET /v3/{project_id}/jobs?id={id}} on both clouds
 * ("ListJobInfo" in huaweicloud-sdk-go-v3 {@code services/rds/v3}; "Obtaining Task Information" in the Open Telekom
 * Cloud RDS API reference), answering {@code {"job": {...}}} in the TaurusDB shape ({@link TaskShape#RDS_JOB}):
 * {@code created}/{@code ended} as {@code yyyy-mm-ddThh:mm:ssZ} with an offset like {@code +0800}, progress in
 * {@code process} ({@code "60%"} while running, else {@code ""}), {@code instance{id,name}}, a task-specific
 * {@code entities} object flattened into {@code details}, and {@code fail_reason}. Documented statuses: Running,
 * Completed, Failed. Only about one month of jobs is visible, and a fresh job may answer "not found" for seconds.
 *
 * <p>RDS documents no list of recent jobs that this dialect uses: the only list is Open Telekom Cloud's newer "Querying
 * Instant Tasks" ({@code GET /v3/{project_id}/tasklist}), see docs/design.md.
 */
public final class RdsDialect extends AbstractDialect implements GetByIdDialect {

    private final JobParser jobParser = new JobParser(Service.RDS, TaskShape.RDS_JOB);

    public RdsDialect() {
        super(Service.RDS);
    }

    @Override
    public ApiRequest getRequest(Target target, String taskId) {
        return jobsById("", target, taskId);
    }

    @Override
    public Optional<TaskSnapshot> parseGet(Target target, String taskId, String body, Instant observedAt,
            String source) throws MalformedResponseException {
        checkTarget(target);
        return jobParser.parse(target, taskId, body, observedAt, source);
    }

    @Override
    public boolean getCarriesInstanceStatus() {
        return jobParser.carriesInstanceStatus();
    }
}
