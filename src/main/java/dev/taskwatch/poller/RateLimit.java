package dev.taskwatch.poller;

/**
 * The request rate allowed for one credential, shared by every target that uses the credential. {@link #DEFAULT} is the
 * configuration's default and {@link #problem} its one rule.
 */
public record RateLimit(double requestsPerSecond) {

    public static final RateLimit DEFAULT = new RateLimit(1.0);

    public RateLimit {
        String problem = problem(requestsPerSecond);
        if (problem != null) {
            throw new IllegalArgumentException("rate " + problem);
        }
    }

    /** The one rule of a rate (the configuration checks it before building one): null when valid. */
    public static String problem(double requestsPerSecond) {
        if (Double.isInfinite(requestsPerSecond)) {
            return "must be a finite number, got " + requestsPerSecond;
        }
        return requestsPerSecond > 0 ? null : "must be above 0, got " + requestsPerSecond;
    }
}
