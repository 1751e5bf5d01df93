package dev.taskwatch.poller;

import dev.taskwatch.http.RequestOutcomes;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.GetByIdDialect;
import dev.taskwatch.taskcenter.MalformedResponseException;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.AuthenticationException;
import dev.taskwatch.taskcenter.auth.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task-center request of a target and what its answer means: the HTTP call through the {@link ResponsePolicy},
 * a first 401 turned into "refresh and repeat", every other failure into a {@link CycleFailure} that names the
 * target, the status and the API error code (never a credential). Keeps the 401 attempt count between the two steps
 * of a repeated request.
 */
final class TaskCenterCall {

    private static final Logger LOG = LoggerFactory.getLogger(TaskCenterCall.class);

    private final Target target;
    private final TaskCenterClient http;
    private final ResponsePolicy policy;
    private final Authenticator authenticator;
    private final GetByIdDialect getById;
    private final PollerMetrics metrics;
    /** 1, or 2 while repeating a request after a 401. */
    private int attempt = 1;

    TaskCenterCall(Target target, TaskCenterClient http, ResponsePolicy policy, Authenticator authenticator,
            GetByIdDialect getById, PollerMetrics metrics) {
        this.target = target;
        this.http = http;
        this.policy = policy;
        this.authenticator = authenticator;
        this.getById = getById;
        this.metrics = metrics;
    }

    /** Whether the next request repeats one after a 401. */
    boolean repeating() {
        return attempt > 1;
    }

    /** Forgets a pending repetition (the cycle ended). */
    void reset() {
        attempt = 1;
    }

    /**
     * Sends {@code request} to {@code to}. Returns the responses to parse (successes and, for get-by-id, "not found"),
     * or null after a first 401: the authenticator is invalidated and the caller repeats the request in its next step.
     */
    ApiResponse execute(Target to, ApiRequest request, boolean getByIdCall) throws CycleFailure {
        ApiResponse response;
        try {
            response = http.execute(to, request, authenticator);
        } catch (TransportException e) {
            metrics.request(e.label());
            throw new CycleFailure(e.outcome(), e.label(), e.backsOff(), null, e.getMessage(), e);
        } catch (AuthenticationException e) {
            throw new CycleFailure(null, "auth", true, null, "Authentication with "
                    + authenticator.describe() + " failed for target " + target.name() + ": " + e.getMessage(), e);
        }
        ResponseOutcome outcome = policy.classify(response, getByIdCall,
                getById != null ? getById::isNotFound : (status, body) -> false);
        if (outcome == ResponseOutcome.SUCCESS || outcome == ResponseOutcome.NOT_FOUND) {
            attempt = 1;
            return response; // counted once parsed: a 200 that cannot be read counts as "malformed"
        }
        String code = response.apiErrorCode();
        metrics.request(RequestOutcomes.of(response.status(), code));
        if (outcome == ResponseOutcome.UNAUTHORIZED && attempt == 1) {
            LOG.info("Target {}: HTTP 401 from {}; refreshing {} and retrying once", target.name(),
                    response.source(), authenticator.describe());
            authenticator.invalidate();
            attempt = 2;
            return null;
        }
        attempt = 1;
        throw failure(outcome, response, code);
    }

    /** Counts a parsed answer. */
    void parsed(ApiResponse response) {
        metrics.request(RequestOutcomes.of(response.status(), null));
    }

    /** The failure for an answer the dialect could not read, logged once with an excerpt of the body. */
    CycleFailure malformed(ApiResponse response, MalformedResponseException e) {
        metrics.request("malformed");
        metrics.malformed();
        // the dialect's message usually quotes the body already: say it once
        String detail = String.valueOf(e.getMessage());
        LOG.warn("Target {}: malformed response from {} (HTTP {}): {}", target.name(), response.source(),
                response.status(), detail.contains("body starts:") ? detail
                        : detail + "; body starts: " + response.excerpt());
        return new CycleFailure(null, "malformed", true, null, "Malformed response from target " + target.name()
                + " at " + response.source() + ": " + e.getMessage(), e);
    }

    private CycleFailure failure(ResponseOutcome outcome, ApiResponse response, String code) {
        String status = "HTTP " + response.status() + (code == null ? "" : " " + code);
        return switch (outcome) {
            case THROTTLED -> new CycleFailure(outcome, "throttled", true, response.retryAfterDelay(),
                    "Throttled by the API gateway (" + status + ") at " + response.source()
                            + (response.retryAfter() == null ? "" : ", Retry-After " + response.retryAfter()), null);
            case UNAUTHORIZED -> new CycleFailure(outcome, "unauthorized", true, null, "Target " + target.name()
                    + " is not authorised (" + status + ") even with fresh authentication from "
                    + authenticator.describe(), null);
            case FORBIDDEN -> new CycleFailure(outcome, "forbidden", false, null, "Permission problem: "
                    + authenticator.describe() + " may not read the task center of target " + target.name() + " ("
                    + status + " at " + response.source() + "); check the account's permissions", null);
            case SERVER_ERROR -> new CycleFailure(outcome, "server error", true, null, "Server error " + status
                    + " from target " + target.name() + " at " + response.source(), null);
            default -> new CycleFailure(outcome, "client error", false, null, "Request rejected with " + status
                    + " by target " + target.name() + " at " + response.source() + ": " + response.excerpt(),
                    null);
        };
    }
}
