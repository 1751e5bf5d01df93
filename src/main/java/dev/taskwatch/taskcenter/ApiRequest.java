package dev.taskwatch.taskcenter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task-center request as a dialect describes it: method, path below the target's endpoint (with the project id
 * filled in) and query parameters in the order the dialect wants them. The HTTP layer adds the endpoint and
 * authentication.
 */
public record ApiRequest(String method, String path, Map<String, String> query) {

    public ApiRequest {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    public static ApiRequest get(String path, Map<String, String> query) {
        return new ApiRequest("GET", path, query);
    }
}
