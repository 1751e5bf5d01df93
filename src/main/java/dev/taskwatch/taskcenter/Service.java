package dev.taskwatch.taskcenter;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The cloud services whose task centers taskwatch reads; {@link #id()} is the value of {@code TaskKey.service}.
 * The domain limits of their APIs live here, once: configuration validation, dialects, poller and transitions all
 * read them from this type.
 */
public enum Service {
    GEMINIDB("geminidb", List.of(10, 20, 50)),
    OPENGAUSS("opengauss", List.of()),
    DDS("dds", List.of()),
    TAURUSDB("taurusdb", List.of()),
    /** Relational Database Service (MySQL, PostgreSQL, SQL Server): a get-by-id task center, like TaurusDB's. */
    RDS("rds", List.of());

    /**
     * The API's history limit, the one home of "30 days": the task centers show a task for about a month after it was
     * created (nothing older can be read), and one list request's creation-time window may span at most as much
     * (every list API documents 30 days). Lookback, window planning, state retention and the simulator derive from it.
     */
    public static final Duration API_VISIBILITY = Duration.ofDays(30);
    /**
     * The same limit under the name the dialects and the simulator still use; new code reads {@link #API_VISIBILITY}.
     */
    public static final Duration MAX_WINDOW_SPAN = API_VISIBILITY;
    /** The page size range of the list APIs that accept any {@code limit} in a range. */
    public static final int MIN_PAGE_SIZE = 1;
    public static final int MAX_PAGE_SIZE = 100;

    private final String id;
    private final List<Integer> fixedPageSizes;

    Service(String id, List<Integer> fixedPageSizes) {
        this.id = id;
        this.fixedPageSizes = fixedPageSizes;
    }

    /** The only {@code limit} values the list API accepts, ascending; empty when it takes any in 1..100. */
    public List<Integer> fixedPageSizes() {
        return fixedPageSizes;
    }

    /** Whether the list API accepts {@code limit=pageSize}. */
    public boolean acceptsPageSize(int pageSize) {
        return fixedPageSizes.isEmpty() ? pageSize >= MIN_PAGE_SIZE && pageSize <= MAX_PAGE_SIZE
                : fixedPageSizes.contains(pageSize);
    }

    /** The accepted page sizes in words: {@code 10, 20 or 50}, {@code 1 to 100}. */
    public String pageSizeRule() {
        if (fixedPageSizes.isEmpty()) {
            return MIN_PAGE_SIZE + " to " + MAX_PAGE_SIZE;
        }
        List<String> sizes = fixedPageSizes.stream().map(String::valueOf).toList();
        return String.join(", ", sizes.subList(0, sizes.size() - 1)) + " or " + sizes.get(sizes.size() - 1);
    }

    /** Lower-case name used in configuration, keys and events. */
    public String id() {
        return id;
    }

    /**
     * The public Open Telekom Cloud endpoint of this service in {@code region} ({@link CloudProfile#OTC}); a target's
     * {@code endpoint} overrides it, and {@link CloudProfile#endpoint} gives other clouds'.
     */
    public URI defaultEndpoint(String region) {
        return CloudProfile.OTC.endpoint(this, region);
    }

    /** @throws IllegalArgumentException listing the known ids when {@code id} is none of them */
    public static Service fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown service '" + id + "', expected one of "
                        + Arrays.stream(values()).map(Service::id).collect(Collectors.joining(", "))));
    }
}
