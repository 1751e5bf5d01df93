package dev.taskwatch.devkit.simulator;

import dev.taskwatch.taskcenter.Service;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * One authenticated GET to a simulated task-center API, as its {@link SimulatedService} sees it: the project and the
 * rest of the matched path, the query, and the tasks it may read.
 */
final class SimulatedCall {

    private final Service service;
    private final String project;
    private final Matcher path;
    private final SimulatedQuery query;
    private final SimulatedTaskCenter tasks;
    private final SimulatorSettings settings;
    private final Consumer<Instant> windowStart;

    SimulatedCall(Service service, String project, Matcher path, SimulatedQuery query, SimulatedTaskCenter tasks,
            SimulatorSettings settings, Consumer<Instant> windowStart) {
        this.service = service;
        this.project = project;
        this.path = path;
        this.query = query;
        this.tasks = tasks;
        this.settings = settings;
        this.windowStart = windowStart;
    }

    /** A group of the route's {@link ServiceRoute#path()} (1 is the project id). */
    String pathGroup(int group) {
        return path.group(group);
    }

    SimulatedQuery query() {
        return query;
    }

    SimulatorSettings settings() {
        return settings;
    }

    Instant now() {
        return tasks.clock().instant();
    }

    /** Records the start of the window a list request asked for, for {@link Simulator#onRequest} hooks. */
    void windowStart(Instant start) {
        windowStart.accept(start);
    }

    /**
     * The task named by {@code id}; HTTP 404 for an unknown id or one younger than
     * {@link SimulatorSettings#notFoundGrace()}, as a fresh job is not yet readable by id.
     */
    SimTask byId() {
        String id = query.get("id");
        if (id == null || id.isBlank()) {
            throw SimulatedApiError.invalidParameter("id is mandatory").raise();
        }
        Instant youngest = now().minus(settings.notFoundGrace());
        return tasks.visibleTasks(service, project).stream()
                .filter(t -> t.id().equals(id))
                .filter(t -> t.createdAt().isBefore(youngest) || settings.notFoundGrace().isZero())
                .findFirst()
                .orElseThrow(() -> SimulatedApiError.jobNotFound(id).raise());
    }

    /**
     * The visible tasks created in {@code [start, end]}, newest first, filtered by the {@code status} and
     * {@code name} parameters, and by {@code id} where the list API has that filter.
     */
    List<SimTask> matching(Instant start, Instant end, boolean idFilter) {
        Predicate<SimTask> filter = t -> !t.createdAt().isBefore(start) && !t.createdAt().isAfter(end);
        String status = query.nonEmpty("status");
        if (status != null) {
            filter = filter.and(t -> t.rawStatus().equalsIgnoreCase(status));
        }
        String name = query.nonEmpty("name");
        if (name != null) {
            filter = filter.and(t -> t.name().trim().equals(name.trim()));
        }
        String id = query.nonEmpty("id");
        if (idFilter && id != null) {
            filter = filter.and(t -> t.id().equals(id));
        }
        return tasks.visibleTasks(service, project).stream().filter(filter).toList();
    }

    /** The {@code limit} tasks from item {@code offset} on. */
    static List<SimTask> page(List<SimTask> matching, int offset, int limit) {
        if (offset >= matching.size()) {
            return List.of();
        }
        return matching.subList(offset, Math.min(matching.size(), offset + limit));
    }
}
