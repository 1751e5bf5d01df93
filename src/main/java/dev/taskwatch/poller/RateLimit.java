package dev.taskwatch.poller;

/**
 * The request rate allowed for one credential ({@code credentials.<name>.requests-per-second}, default 1.0), shared by
 * every target that uses the credential.
 */
public record RateLimit(double requestsPerSecond) {

    public static final RateLimit DEFAULT = new RateLimit(1.0);

    public RateLimit {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requests-per-second must be a positive number, not "
                    + requestsPerSecond);
        }
    }
}
