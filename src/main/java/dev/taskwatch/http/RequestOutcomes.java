package dev.taskwatch.http;

import java.util.HashSet;
import java.util.Set;

/**
 * The {@code outcome} tag of {@code taskwatch.poller.requests} and {@code taskwatch.iam.requests}, from a bounded
 * set. The error code in an answer is the task center's text: used as a tag value as such, a server answering
 * random codes would create a new time series per request and exhaust Prometheus. So a code is a tag only when it
 * is one of the documented gateway or database-service codes below; otherwise the tag is the HTTP status when it is
 * a common one, else its class ({@code 4xx_other}, {@code 5xx_other}). The raw code still reaches the log, in the
 * failure message of the cycle.
 */
public final class RequestOutcomes {

    /** Documented API gateway codes (both spellings) and the database services' internal-error codes. */
    public static final Set<String> KNOWN_CODES = knownCodes();

    private static final Set<Integer> COMMON_STATUSES = Set.of(200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503,
            504);

    private RequestOutcomes() {}

    /** The tag for an answer with {@code status} and an error code (or null). */
    public static String of(int status, String code) {
        if (code != null && KNOWN_CODES.contains(code)) {
            return code;
        }
        if (COMMON_STATUSES.contains(status)) {
            return String.valueOf(status);
        }
        if (status >= 200 && status < 600) {
            return (status / 100) + "xx_other";
        }
        return "other";
    }

    private static Set<String> knownCodes() {
        Set<String> codes = new HashSet<>();
        for (String number : new String[] {"0101", "0103", "0104", "0201", "0202", "0203", "0204", "0301", "0302",
                "0303", "0304", "0305", "0306", "0307", "0308", "0401", "0402", "0403", "0404", "0405", "0601",
                "0602", "0605", "1002"}) {
            codes.add("APIG." + number);
            codes.add("APIGW." + number);
        }
        codes.addAll(Set.of("DBS.200000", "DBS.200001", "DBS.200019", "DBS.280001"));
        return Set.copyOf(codes);
    }
}
