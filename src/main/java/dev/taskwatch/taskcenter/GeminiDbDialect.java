package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * GeminiDB (GaussDB NoSQL) task center: {@code GET /v3/{project_id}/jobs}, a list of {@code jobs[]} with
 * {@code total_count}. Window as {@code start_time}/{@code end_time} in {@code yyyy-MM-dd'T'HH:mm:ssZ} (sent with a
 * {@code +0000} offset), at most 30 days, end after start; {@code limit} only 10, 20 or 50; {@code offset} from 0.
 * Task fields: {@code id}, {@code name}, {@code status}, {@code start_time} (creation), {@code end_time},
 * {@code progress}, {@code instance{id,name}}, {@code fail_reason}.
 *
 * <p>Get-by-id: no call of its own; the list call filtered by {@code id} ({@code GET /v3/{project_id}/jobs?id={id}},
 * without a window: the API defaults to the last 30 days) answers {@code {"jobs": [job], "total_count": 1}}, read as
 * {@code jobs[0]}; an empty {@code jobs} means "not found". Verified in huaweicloud/huaweicloud-sdk-go-v3
 * {@code services/gaussdbfornosql/v3/gaussDBforNoSQL_meta.go} ({@code GenReqDefForListJobs}: query field {@code id})
 * and {@code .../v3/model/model_list_jobs_request.go}, {@code model_list_jobs_response.go},
 * {@code model_job_detail.go}. An error status is "not found" by {@link ApiError#isJobNotFound}, as for the others.
 */
public final class GeminiDbDialect extends AbstractDialect implements ListingDialect, GetByIdDialect {

    private final TaskListParser listParser = new TaskListParser(Service.GEMINIDB, "jobs", TaskShape.GEMINIDB_LIST);

    public GeminiDbDialect() {
        super(Service.GEMINIDB);
    }

    @Override
    public int maxPageSize() {
        return 50;
    }

    /** The closest of 10, 20 and 50 (the larger on a tie, fewer requests). */
    @Override
    public int pageSize(int wanted) {
        int best = Service.GEMINIDB.fixedPageSizes().get(0);
        for (int size : Service.GEMINIDB.fixedPageSizes()) {
            if (Math.abs(size - wanted) <= Math.abs(best - wanted)) {
                best = size;
            }
        }
        return best;
    }

    @Override
    public Duration maxWindowSpan() {
        return THIRTY_DAYS;
    }

    @Override
    public ApiRequest listRequest(Target target, ListQuery q) {
        TimeWindow window = q.window();
        checkListArguments(this, target, window, q.offset(), q.limit(), true);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("start_time", queryTime(window.from()));
        query.put("end_time", queryTime(window.to()));
        query.put("offset", Integer.toString(q.offsetParameter()));
        query.put("limit", Integer.toString(q.limit()));
        if (q.runningOnly()) {
            query.put("status", "Running");
        }
        return ApiRequest.get(projectPath(target, "/jobs"), query);
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

    /** {@code jobs[0]} of the id-filtered list; a full default page (50) is read in case the filter is ignored. */
    @Override
    public Optional<TaskSnapshot> parseGet(Target target, String taskId, String body, Instant observedAt,
            String source) throws MalformedResponseException {
        checkTarget(target);
        return listParser.parseOne(target, taskId, body, maxPageSize(), observedAt, source);
    }
}
