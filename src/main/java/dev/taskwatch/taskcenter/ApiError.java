package dev.taskwatch.taskcenter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The error code and message of an OTC / Huawei Cloud error body. Services and the API gateway use several shapes;
 * all are read:
 * <ul>
 *   <li>{@code {"error_code": "DBS.280001", "error_msg": "..."}} (database services, API gateway: {@code APIG.0308})</li>
 *   <li>{@code {"errCode": "...", "externalMessage": "..."}} (older RDS-family services)</li>
 *   <li>{@code {"error": {"code": "...", "message": "..."}}} (IAM / OpenStack style)</li>
 * </ul>
 *
 * @param code    the API error code, e.g. {@code APIG.0308}; may be null when only a message was given
 * @param message the error message as the service wrote it; may be null
 */
public record ApiError(String code, String message) {

    /**
     * "The job does not exist" in the wordings seen across the services' error tables, English and Chinese: a job or
     * task that does not exist / cannot be found / is invalid.
     */
    private static final Pattern JOB_NOT_FOUND = Pattern.compile(
            "(job|task)[^.;]*?(not exist|does ?n[o']t exist|not found|cannot be found|can't be found|no such"
                    + "|is invalid|invalid)"
                    + "|(no|cannot find( the)?|can't find( the)?) (such )?(job|task)"
                    + "|任务不存在|任务id不存在|job不存在|查询不到任务",
            Pattern.CASE_INSENSITIVE);

    /** The API gateway's error for a path it does not route: a wrong endpoint, not a missing job. */
    private static final Pattern GATEWAY_NO_ROUTE = Pattern.compile("APIG(W)?\\.0101", Pattern.CASE_INSENSITIVE);

    /** The error in {@code body}, if it is JSON in one of the known shapes. */
    public static Optional<ApiError> parse(String body) {
        JsonNode root = JsonBody.tryParse(body);
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        String code = text(root, "error_code", "errCode", "code");
        String message = text(root, "error_msg", "externalMessage", "message", "error_message");
        JsonNode nested = root.get("error");
        if (nested != null && nested.isObject()) {
            code = code != null ? code : text(nested, "code", "error_code");
            message = message != null ? message : text(nested, "message", "error_msg");
        }
        if (code == null && message == null) {
            return Optional.empty();
        }
        return Optional.of(new ApiError(code, message));
    }

    /** Whether the gateway answered with its throttling code ({@code APIG.0308} or {@code APIGW.0308}). */
    public boolean isThrottling() {
        return code != null && code.toUpperCase(Locale.ROOT).matches("APIGW?\\.0308");
    }

    /** {@code CODE: message}, or whichever of the two is present. */
    public String describe() {
        if (code == null) {
            return message;
        }
        return message == null ? code : code + ": " + message;
    }

    /**
     * Whether a get-by-id error response means "no such job". The specs document no error code for it, so this is
     * liberal: HTTP 404 (unless the gateway says the API path itself is unknown, APIG.0101), or any 4xx whose error
     * message says that the job/task does not exist or cannot be found.
     *
     * <p>Assumption shared with the simulator ({@code dev.taskwatch.devkit.simulator.SimulatedApiError#JOB_NOT_FOUND}), which answers
     * an unknown or freshly created id with HTTP 404 {@code {"error_code": "DBS.200019", "error_msg": "The job does
     * not exist: <id>"}} and an unrouted path with 404 {@code APIGW.0101}; {@code SimulatorDialectContractTest}
     * checks that this method tells the two apart.
     */
    static boolean isJobNotFound(int httpStatus, String body) {
        if (httpStatus < 400 || httpStatus >= 500) {
            return false;
        }
        Optional<ApiError> error = parse(body);
        if (error.isPresent() && error.get().code() != null && GATEWAY_NO_ROUTE.matcher(error.get().code()).matches()) {
            return false;
        }
        if (httpStatus == 404) {
            return true;
        }
        if (httpStatus == 401 || httpStatus == 403 || httpStatus == 429) {
            return false;
        }
        return error.map(e -> e.message() != null && JOB_NOT_FOUND.matcher(e.message()).find()).orElse(false);
    }

    private static String text(JsonNode object, String... fields) {
        for (String field : fields) {
            JsonNode node = object.get(field);
            if (node != null && (node.isTextual() || node.isNumber()) && !node.asText().isBlank()) {
                return node.asText();
            }
        }
        return null;
    }
}
