package dev.taskwatch.poller;

/** What the poller does with a response (or with a request that got none). */
public enum ResponseOutcome {
    /** 2xx: parse and publish. */
    SUCCESS,
    /** A get-by-id answer meaning "no such task" (the dialect decides): retried within the grace period. */
    NOT_FOUND,
    /** 429 or API error code APIG.0308 / APIGW.0308: honour Retry-After, else back off. */
    THROTTLED,
    /** 5xx: back off. */
    SERVER_ERROR,
    /** No response in time: back off. */
    TIMEOUT,
    /** Connection refused, reset, DNS failure: back off. */
    CONNECTION,
    /** 401: invalidate the authenticator and retry once, then report and back off. */
    UNAUTHORIZED,
    /** 403: report a permission problem naming the target; retry at the slow interval. */
    FORBIDDEN,
    /** Any other 4xx: report; retry at the slow interval. */
    CLIENT_ERROR;

    /** Whether the next attempt follows the backoff schedule rather than the slow interval. */
    public boolean backsOff() {
        return switch (this) {
            case THROTTLED, SERVER_ERROR, TIMEOUT, CONNECTION, UNAUTHORIZED -> true;
            case SUCCESS, NOT_FOUND, FORBIDDEN, CLIENT_ERROR -> false;
        };
    }
}
