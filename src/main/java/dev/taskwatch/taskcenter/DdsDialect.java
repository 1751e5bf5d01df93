package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * DDS (document database) task center, both calls on {@code GET /v3/{project_id}/jobs}:
 * <ul>
 *   <li>list: {@code start_time} and {@code end_time} are mandatory ({@code yyyy-MM-dd'T'HH:mm:ssZ}, sent with
 *       {@code +0000}), end after start, at most 30 days apart; {@code limit} 1..100; {@code offset} is documented as
 *       "a positive integer" with default 0, so it is left out for the first page, which every reading of that sentence
 *       accepts (Terraform sends {@code offset=0}, and the simulator accepts both). The response has {@code jobs[]}
 *       with flat {@code instance_id}/{@code instance_name}, {@code created_at}/{@code ended_at}, and often no
 *       {@code total_count}.</li>
 *   <li>get-by-id: {@code ?id=} only, answering {@code {"job": {...}}} with {@code created}/{@code ended} and a
 *       nested {@code instance{id,name}}. A job created a moment ago may answer "not found" for a few seconds.</li>
 * </ul>
 */
public final class DdsDialect extends AbstractDialect implements ListingDialect, GetByIdDialect {

    private final TaskListParser listParser = new TaskListParser(Service.DDS, "jobs", TaskShape.DDS_LIST);
    private final JobParser jobParser = new JobParser(Service.DDS, TaskShape.DDS_JOB);

    private final String listPath;

    /** Open Telekom Cloud's paths. */
    public DdsDialect() {
        this(CloudProfile.OTC);
    }

    /** The list under {@code /<}{@link CloudProfile#ddsListVersion() version}{@code >/{project_id}/jobs}. */
    public DdsDialect(CloudProfile cloud) {
        super(Service.DDS);
        this.listPath = "/" + cloud.ddsListVersion() + "/";
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

    /** Yes: it says "a positive integer" and often omits total_count, so a wrong reading would go unnoticed. */
    @Override
    public boolean offsetReadingUncertain() {
        return true;
    }

    @Override
    public ApiRequest listRequest(Target target, ListQuery q) {
        TimeWindow window = q.window();
        checkListArguments(this, target, window, q.offset(), q.limit(), true);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("start_time", queryTime(window.from()));
        query.put("end_time", queryTime(window.to()));
        if (q.offset() > 0) {
            query.put("offset", Integer.toString(q.offsetParameter()));
        }
        query.put("limit", Integer.toString(q.limit()));
        if (q.runningOnly()) {
            query.put("status", "Running");
        }
        return ApiRequest.get(listPath + target.projectId() + "/jobs", query);
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
