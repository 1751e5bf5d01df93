package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one implementation of the list APIs: a creation-time window read page by page with offset and limit, spoken
 * as its {@link ListApi} describes; and of their services' get-by-id call, {@code GET /v3/{project_id}/jobs?id=},
 * answering {@code {"job": {...}}} or, for GeminiDB, the list filtered by id. A dialect with a list API extends it
 * with those descriptions.
 */
abstract class WindowedListDialect extends AbstractDialect implements ListingDialect, GetByIdDialect {

    private final ListApi list;
    private final TaskListParser listParser;
    private final JobParser jobParser;

    /**
     * @param jobShape the job of a get-by-id answer {@code {"job": {...}}}; null when get-by-id is the list filtered
     *                 by {@code id} (GeminiDB), read as the array's first element
     */
    WindowedListDialect(Service service, ListApi list, TaskShape jobShape) {
        super(service);
        this.list = list;
        this.listParser = new TaskListParser(service, list.array(), list.shape());
        this.jobParser = jobShape == null ? null : new JobParser(service, jobShape);
    }

    @Override
    public final int maxPageSize() {
        return list.maxPageSize();
    }

    @Override
    public final int pageSize(int wanted) {
        return list.pageSize(wanted);
    }

    @Override
    public final Duration maxWindowSpan() {
        return THIRTY_DAYS;
    }

    @Override
    public final boolean offsetReadingUncertain() {
        return list.offsetReadingUncertain();
    }

    @Override
    public final ApiRequest listRequest(Target target, ListQuery q) {
        TimeWindow window = q.window();
        checkListArguments(this, target, window, q.offset(), q.limit(), list.endAfterStart());
        Map<String, String> query = new LinkedHashMap<>();
        query.put("start_time", list.timeFormat().format(window.from()));
        query.put("end_time", list.timeFormat().format(window.to()));
        if (q.offset() > 0 || list.firstOffset() == ListApi.FirstOffset.SENT) {
            query.put("offset", Integer.toString(q.offsetParameter()));
        }
        query.put("limit", Integer.toString(q.limit()));
        if (q.runningOnly()) {
            query.put(list.statusFilter(), "Running");
        }
        return ApiRequest.get(list.path(target), query);
    }

    @Override
    public final TaskPage parseList(Target target, String body, int limit, Instant observedAt, String source)
            throws MalformedResponseException {
        checkTarget(target);
        return listParser.parse(target, body, limit, observedAt, source);
    }

    @Override
    public final ApiRequest getRequest(Target target, String taskId) {
        return jobsById("", target, taskId);
    }

    /** The job; for a filtered list, its first task (a full page is read in case the filter is ignored). */
    @Override
    public final Optional<TaskSnapshot> parseGet(Target target, String taskId, String body, Instant observedAt,
            String source) throws MalformedResponseException {
        if (jobParser != null) {
            return parseJob(jobParser, target, taskId, body, observedAt, source);
        }
        checkTarget(target);
        return listParser.parseOne(target, taskId, body, maxPageSize(), observedAt, source);
    }

    /** The job's shape decides; a filtered list (GeminiDB) is the list's own shape. */
    @Override
    public final boolean getCarriesInstanceStatus() {
        return jobParser != null ? jobParser.carriesInstanceStatus() : list.shape().instanceStatus() != null;
    }
}
