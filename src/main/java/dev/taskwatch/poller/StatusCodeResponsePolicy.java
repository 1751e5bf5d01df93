package dev.taskwatch.poller;

import java.util.Set;

/**
 * The response policy of the OTC API gateway: throttling is 429 or the gateway's error code APIG.0308 / APIGW.0308
 * (which may come with another status), then status classes.
 */
public final class StatusCodeResponsePolicy implements ResponsePolicy {

    public static final Set<String> THROTTLING_CODES = Set.of("APIG.0308", "APIGW.0308");

    @Override
    public ResponseOutcome classify(ApiResponse response, boolean getById, NotFoundTest notFound) {
        int status = response.status();
        String code = response.apiErrorCode();
        if (status == 429 || (code != null && THROTTLING_CODES.contains(code))) {
            return ResponseOutcome.THROTTLED;
        }
        if (status == 401) {
            return ResponseOutcome.UNAUTHORIZED;
        }
        if (getById && status >= 300 && notFound.isNotFound(status, response.body())) {
            return ResponseOutcome.NOT_FOUND;
        }
        if (status >= 200 && status < 300) {
            return ResponseOutcome.SUCCESS;
        }
        if (status == 403) {
            return ResponseOutcome.FORBIDDEN;
        }
        if (status >= 500) {
            return ResponseOutcome.SERVER_ERROR;
        }
        return ResponseOutcome.CLIENT_ERROR;
    }
}
