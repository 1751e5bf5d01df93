package dev.taskwatch.config;

import dev.taskwatch.taskcenter.Service;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code discovery:} section: which projects of which credentials are watched without a target list. Each listed
 * credential's projects are read from IAM ({@code GET /v3/auth/projects}) every {@code refresh-interval}; every
 * enabled project of a wanted region whose name passes the globs gets one target per service. An explicit
 * {@code targets:} entry of the same service, region and project wins over the discovered one.
 *
 * @param credentials     names under {@code credentials:}; empty means discovery is off
 * @param regions         the regions to watch; empty means every region the credential sees ({@code all})
 * @param services        the services to watch (default all)
 * @param include         globs ({@code *}, {@code ?}) a project name must match one of (default: all)
 * @param exclude         globs a project name must match none of
 * @param interval        a discovered target's poll interval while none of its tasks runs
 * @param activeInterval  a discovered target's poll interval while one runs
 * @param refreshInterval how often the projects (and whether each holds instances) are read again
 * @param emptyInterval   the poll interval of a discovered target whose project has no instance of the service
 * @param iamEndpoint     the IAM endpoint asked for the projects, null for the cloud's (first region, or its home)
 * @param endpoint        a template of the task-center endpoints with {@code {service}} and {@code {region}}, null
 *                        for each cloud's own endpoints (a proxy, a private endpoint, the simulator)
 */
public record DiscoveryConfig(List<String> credentials, List<String> regions, List<Service> services,
        List<String> include, List<String> exclude, Duration interval, Duration activeInterval,
        Duration refreshInterval, Duration emptyInterval, URI iamEndpoint, String endpoint) {

    /** Discovery off: no credentials. */
    static final DiscoveryConfig NONE = new DiscoveryConfig(List.of(), List.of(), Arrays.asList(Service.values()),
            List.of(), List.of(), Settings.DISCOVERY_INTERVAL.defaultValue(),
            Settings.DISCOVERY_ACTIVE_INTERVAL.defaultValue(), Settings.DISCOVERY_REFRESH_INTERVAL.defaultValue(),
            Settings.DISCOVERY_EMPTY_INTERVAL.defaultValue(), null, null);

    public DiscoveryConfig {
        credentials = List.copyOf(credentials);
        regions = List.copyOf(regions);
        services = List.copyOf(services.isEmpty() ? Arrays.asList(Service.values()) : services);
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    /** Whether a {@code discovery:} section with credentials is configured. */
    public boolean enabled() {
        return !credentials.isEmpty();
    }

    /** Whether {@code region} is watched ({@code regions} empty: all). */
    public boolean wantsRegion(String region) {
        return regions.isEmpty() || regions.contains(region);
    }

    /** Whether a project named {@code name} passes the include and exclude globs. */
    public boolean wantsProjectName(String name) {
        return (include.isEmpty() || include.stream().anyMatch(g -> globMatches(g, name)))
                && exclude.stream().noneMatch(g -> globMatches(g, name));
    }

    /** {@code *} any run of characters, {@code ?} one; everything else literal; the whole name must match. */
    static boolean globMatches(String glob, String name) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return name.matches(regex.toString());
    }
}
