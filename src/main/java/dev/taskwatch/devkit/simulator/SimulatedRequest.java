package dev.taskwatch.devkit.simulator;

import dev.taskwatch.taskcenter.Service;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One request the simulator received, as an API gateway would count it: tests prove with these what a poller spent
 * per credential and what it read.
 *
 * @param receivedAt  wall-clock time the request was received (the system clock, not the simulated one, so that
 *                    request rates are measured in real seconds whatever the simulated clock does)
 * @param service     the service addressed; null for IAM and for paths no service serves
 * @param projectId   the project in the path; null when there is none
 * @param caller      who sent it, never a secret: {@code token:} and the first 12 hex digits of the token's SHA-256
 *                    (see {@link #tokenCaller}), {@code ak:} and the access key id, {@code iam} for a login, or
 *                    {@code anonymous}
 * @param windowStart for a list request, the start of the time window it asked for (the service's default window
 *                    when it named none: 30 days back for GeminiDB, everything for openGauss); null for a get-by-id,
 *                    a login, or a request refused before its window was read
 */
public record SimulatedRequest(Instant receivedAt, Service service, String projectId, String caller,
        Instant windowStart) {

    /** The {@link #caller} of requests sent with {@code X-Auth-Token: token}. */
    public static String tokenCaller(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "token:" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** True for a list request whose window starts at or before {@code instant}. */
    public boolean listsFromOrBefore(Instant instant) {
        return windowStart != null && !windowStart.isAfter(instant);
    }
}
