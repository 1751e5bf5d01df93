package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.taskcenter.Target;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The ids this poller watches by get-by-id: the live entries of the compacted {@code watch-requests} topic that belong
 * to one of this poller's targets (same service, region and project). Fed record by record by whatever reads the
 * topic ({@link KafkaWatchRequests}), so replaying the topic from the beginning rebuilds it after a restart.
 * Thread-safe.
 *
 * <p>Build it from the targets whose dialect {@linkplain dev.taskwatch.taskcenter.TaskCenterDialect#getById()
 * supports get-by-id} ({@link #forTargets}); a request for a list-only service would never be polled nor released.
 */
public final class WatchSet {

    /** service/region/project of the targets this poller serves; null when it serves whatever it is given. */
    private final Set<String> scopes;
    private final Map<TaskKey, WatchRequest> entries = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public WatchSet(Collection<Target> targets, MeterRegistry registry) {
        this.scopes = targets.stream().map(t -> scope(t.service().id(), t.region(), t.projectId()))
                .collect(Collectors.toUnmodifiableSet());
        Gauge.builder("taskwatch.poller.watchset.size", entries, Map::size)
                .description("Task ids watched by get-by-id").register(registry);
    }

    private WatchSet(MeterRegistry registry) {
        this.scopes = null;
        Gauge.builder("taskwatch.poller.watchset.size", entries, Map::size)
                .description("Task ids watched by get-by-id").register(registry);
    }

    /**
     * A set that keeps the watch requests of every scope: for a poller whose targets change while it runs
     * (discovery), so that an id requested before its project was discovered is polled once it is. Ids of scopes
     * without a target are kept but never polled.
     */
    public static WatchSet unscoped(MeterRegistry registry) {
        return new WatchSet(registry);
    }

    /** A set for the get-by-id targets among {@code targets}. */
    public static WatchSet forTargets(Collection<PolledTarget> targets, MeterRegistry registry) {
        return new WatchSet(targets.stream().filter(t -> t.dialect().getById().isPresent()).map(PolledTarget::target)
                .toList(), registry);
    }

    /**
     * Applies one record of the watch-requests topic: a request adds (or replaces) the entry, a tombstone
     * ({@code request == null}) releases it. Records for other pollers' targets are ignored.
     *
     * @return whether the record concerned this poller
     */
    public boolean apply(TaskKey key, WatchRequest request) {
        if (key == null || scopes != null
                && !scopes.contains(scope(key.getService(), key.getRegion(), key.getProjectId()))) {
            return false;
        }
        if (request == null) {
            entries.remove(key);
        } else {
            entries.put(key, request);
        }
        listeners.forEach(Runnable::run);
        return true;
    }

    /**
     * Runs {@code listener} after each change applied from the topic, on the reading thread: the poller's scheduler
     * uses it to poll a newly watched id at the active interval at once rather than at the idle one. Keep it short.
     */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Forgets {@code key} (after its tombstone was produced). */
    public void remove(TaskKey key) {
        entries.remove(key);
    }

    /** The watched requests of {@code target}, oldest request first. */
    public List<WatchRequest> entriesFor(Target target) {
        return entries.entrySet().stream()
                .filter(e -> e.getKey().getService().equals(target.service().id())
                        && e.getKey().getRegion().equals(target.region())
                        && e.getKey().getProjectId().equals(target.projectId()))
                .map(Map.Entry::getValue)
                .sorted(Comparator.comparing(WatchRequest::getRequestedAt).thenComparing(WatchRequest::getTaskId))
                .toList();
    }

    public boolean contains(TaskKey key) {
        return entries.containsKey(key);
    }

    public int size() {
        return entries.size();
    }

    private static String scope(String service, String region, String project) {
        return service + "\u0000" + region + "\u0000" + project;
    }
}
