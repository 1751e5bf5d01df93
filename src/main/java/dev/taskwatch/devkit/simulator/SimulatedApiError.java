package dev.taskwatch.devkit.simulator;

/**
 * An error answer in the OTC shape {@code {"error_code": "...", "error_msg": "..."}}.
 *
 * <p>The specs only link to "Error Codes" pages, so the service error codes below are assumptions (shape and HTTP
 * status are what matters to a client); the gateway codes {@code APIGW.0301}, {@code APIG.0308}/{@code APIGW.0308}
 * and {@code APIGW.0101} are the documented API gateway ones.
 */
record SimulatedApiError(int status, String code, String message) {

    /** Assumed service code for a rejected query parameter (HTTP 400). */
    static final String INVALID_PARAMETER = "DBS.200001";
    /**
     * Assumed service code of a get-by-id for an unknown id or an id created a moment ago (HTTP 404, message "The job
     * does not exist: id"). The specs document no "not found" answer; the dialects
     * ({@code dev.taskwatch.taskcenter.ApiError#isJobNotFound}) take any 404 except the gateway's {@code APIGW.0101}
     * (no such API) and any 4xx whose message says the job does not exist as "not found", so both this shape and
     * a real 400 with such a message are recognised. {@code SimulatorDialectContractTest} keeps the two in agreement.
     */
    static final String JOB_NOT_FOUND = "DBS.200019";
    /** Assumed service code of an internal error (HTTP 500). */
    static final String INTERNAL_ERROR = "DBS.200000";

    static SimulatedApiError invalidParameter(String message) {
        return new SimulatedApiError(400, INVALID_PARAMETER, message);
    }

    static SimulatedApiError jobNotFound(String id) {
        return new SimulatedApiError(404, JOB_NOT_FOUND, "The job does not exist: " + id);
    }

    static SimulatedApiError unauthorized(String why) {
        return new SimulatedApiError(401, "APIGW.0301", "Incorrect IAM authentication information: " + why);
    }

    static SimulatedApiError noSuchApi() {
        return new SimulatedApiError(404, "APIGW.0101", "The API does not exist or has not been published in the environment");
    }

    static SimulatedApiError methodNotAllowed(String method) {
        return new SimulatedApiError(405, "APIGW.0101", "Method " + method + " is not supported by this API");
    }

    /** Raises this error out of request handling; the handler turns it into the answer. */
    Raised raise() {
        return new Raised(this);
    }

    static final class Raised extends RuntimeException {
        final SimulatedApiError error;

        Raised(SimulatedApiError error) {
            super(error.code() + ": " + error.message(), null, false, false);
            this.error = error;
        }
    }
}
