package dev.taskwatch.taskcenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;

/**
 * "Has this project any instance of the service?": the service's instance list with {@code limit=1}, one request,
 * {@code GET {prefix}/v3/{project_id}/instances?offset=0&limit=1} on every service (huaweicloud-sdk-go-v3 1cd70eb6:
 * {@code GenReqDefForListInstances} in {@code services/rds/v3/rds_meta.go}, {@code services/dds/v3/dds_meta.go},
 * {@code services/gaussdbfornosql/v3/gaussDBforNoSQL_meta.go} and
 * {@code services/gaussdbforopengauss/v3/gaussDBforopenGauss_meta.go}; {@code GenReqDefForListGaussMySqlInstances} in
 * {@code services/gaussdb/v3/gaussDB_meta.go}; TaurusDB under {@code /mysql} on Open Telekom Cloud, like its jobs).
 * The answer carries {@code instances[]} and {@code total_count} ({@code model_list_instances_response.go}); either
 * one saying "some" is enough. Pure: no I/O.
 */
public final class InstanceProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InstanceProbe() {}

    /** The request for {@code projectId} of {@code service} on {@code cloud}, relative to the service endpoint. */
    public static ApiRequest request(Service service, CloudProfile cloud, String projectId) {
        return ApiRequest.get(cloud.pathPrefix(service) + "/v3/" + projectId + "/instances",
                Map.of("offset", "0", "limit", "1"));
    }

    /**
     * Whether a 2xx answer shows an instance.
     *
     * @throws MalformedResponseException when the body has neither {@code instances} nor {@code total_count}
     */
    public static boolean hasInstances(String body) throws MalformedResponseException {
        JsonNode root;
        try {
            root = body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new MalformedResponseException("instance list is not JSON: " + "a syntax error at or before character " + excerptSafeOffset(e));
        }
        if (root == null || !root.isObject()) {
            throw new MalformedResponseException("instance list is not a JSON object");
        }
        JsonNode instances = root.get("instances");
        JsonNode total = root.get("total_count");
        if ((instances == null || !instances.isArray()) && (total == null || !total.isNumber())) {
            throw new MalformedResponseException("instance list has neither instances nor total_count");
        }
        return instances != null && instances.isArray() && !instances.isEmpty()
                || total != null && total.isNumber() && total.longValue() > 0;
    }

    /** Where the JSON broke, without the text (an error message must not echo a body). */
    private static long excerptSafeOffset(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                ? j.getLocation().getCharOffset() : -1;
    }
}
