package dev.taskwatch.taskcenter;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one implementation of the list APIs: a creation-time window read page by page with offset and limit, spoken
 * as its {@link ListApi} describes. A dialect with a list API extends it with that description and adds its
 * get-by-id call.
 */
abstract class WindowedListDialect extends AbstractDialect implements ListingDialect {

    private final ListApi list;
    private final TaskListParser listParser;

    WindowedListDialect(Service service, ListApi list) {
        super(service);
        this.list = list;
        this.listParser = new TaskListParser(service, list.array(), list.shape());
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

    /** The parser of this API's list answers (GeminiDB's get-by-id answers in the list shape). */
    final TaskListParser listParser() {
        return listParser;
    }
}
