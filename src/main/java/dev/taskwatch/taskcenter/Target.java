package dev.taskwatch.taskcenter;

import java.net.URI;
import java.time.Duration;

/**
 * One task center to poll: a service in a region and project, reached at {@code endpoint} with the named credentials.
 *
 * @param name           label for logs and metrics, unique per configuration, e.g. {@code dds/eu-de/0a1b...}
 * @param endpoint       base URL (scheme, host, optional port), the service default unless overridden
 * @param credentials    name of the entry under {@code credentials:} in the configuration
 * @param interval       poll interval while none of the target's tasks runs
 * @param activeInterval poll interval while any of them runs
 * @param lookback       how far back the first listing and the periodic safety sweep reach (bounded by the API's 30
 *                       days)
 */
public record Target(
        String name,
        Service service,
        String region,
        String projectId,
        URI endpoint,
        String credentials,
        Duration interval,
        Duration activeInterval,
        Duration lookback) {

    /** The poll interval: {@code activeInterval} while a task of the target runs (or is watched), else {@code interval}. */
    public Duration pollInterval(boolean active) {
        return active ? activeInterval : interval;
    }
}
