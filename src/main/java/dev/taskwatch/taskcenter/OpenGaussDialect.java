package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * GaussDB (openGauss) task center: {@code GET /v3/{project_id}/tasks}, a list of {@code tasks[]} with
 * {@code total_count}. Window as {@code start_time}/{@code end_time} in UNIX milliseconds (UTC); {@code limit}
 * 1..100; {@code offset} from 0. The API shows the last month only, so windows are held to 30 days like the others.
 * Task fields: {@code job_id}, {@code name}, {@code status}, {@code process} (progress), {@code fail_reason},
 * {@code created_at}, {@code ended_at}, {@code instance_info{instance_id,instance_name,instance_status}} (the only
 * service that reports the instance status).
 *
 * <p>Get-by-id: {@code GET /v3/{project_id}/jobs?id={id}} ({@code ShowJobDetail}), answering {@code {"job": {...}}}
 * in the DDS job shape ({@code created}/{@code ended}, {@code progress}, {@code instance{id,name}}), see
 * {@link TaskShape#OPENGAUSS_JOB}. Verified in huaweicloud/huaweicloud-sdk-go-v3
 * {@code services/gaussdbforopengauss/v3/gaussDBforopenGauss_meta.go} ({@code GenReqDefForShowJobDetail}: GET
 * {@code /v3/{project_id}/jobs}, query field {@code id}) and {@code .../v3/model/model_show_job_detail_response.go}.
 * An unknown id is an error status; "not found" is decided by {@link ApiError#isJobNotFound} as for the others.
 */
public final class OpenGaussDialect extends AbstractDialect implements ListingDialect, GetByIdDialect {

    private final TaskListParser listParser = new TaskListParser(Service.OPENGAUSS, "tasks", TaskShape.OPENGAUSS_LIST);
    private final JobParser jobParser = new JobParser(Service.OPENGAUSS, TaskShape.OPENGAUSS_JOB);

    public OpenGaussDialect() {
        super(Service.OPENGAUSS);
    }

    @Override
    public int maxPageSize() {
        return 100;
    }

    @Override
    public int pageSize(int wanted) {
        return Math.max(1, Math.min(100, wanted));
    }

    @Override
    public Duration maxWindowSpan() {
        return THIRTY_DAYS;
    }

    /** Yes: its document's own example and terraform-provider-huaweicloud send page numbers from 1. */
    @Override
    public boolean offsetReadingUncertain() {
        return true;
    }

    @Override
    public ApiRequest listRequest(Target target, ListQuery q) {
        TimeWindow window = q.window();
        checkListArguments(this, target, window, q.offset(), q.limit(), false);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("start_time", Long.toString(window.from().toEpochMilli()));
        query.put("end_time", Long.toString(window.to().toEpochMilli()));
        query.put("offset", Integer.toString(q.offsetParameter()));
        query.put("limit", Integer.toString(q.limit()));
        if (q.runningOnly()) {
            query.put("status", "Running");
        }
        return ApiRequest.get(projectPath(target, "/tasks"), query);
    }

    @Override
    public TaskPage parseList(Target target, String body, int limit, Instant observedAt, String source)
            throws MalformedResponseException {
        checkTarget(target);
        return listParser.parse(target, body, limit, observedAt, source);
    }

    @Override
    public ApiRequest getRequest(Target target, String taskId) {
        checkTarget(target);
        return ApiRequest.get(projectPath(target, "/jobs"), Map.of("id", checkTaskId(taskId)));
    }

    @Override
    public Optional<TaskSnapshot> parseGet(Target target, String taskId, String body, Instant observedAt,
            String source) throws MalformedResponseException {
        checkTarget(target);
        return jobParser.parse(target, taskId, body, observedAt, source);
    }
}
