package dev.taskwatch.poller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Authenticator;
import dev.taskwatch.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link FakeTaskCenter}'s list format answered in memory (no HTTP), for scheduler tests that run thousands of
 * targets through hours of a manual clock. Records every request with the clock's time and target name.
 */
final class InMemoryTaskCenter implements TaskCenterClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Request(Instant at, String target, Map<String, String> query) {}

    record Task(String id, String status, Instant created) {}

    private final Clock clock;
    private List<Duration> latencies = List.of();
    private final Map<String, List<Task>> tasks = new ConcurrentHashMap<>();
    private final Map<String, Deque<ApiResponse>> scripted = new ConcurrentHashMap<>();
    final List<Request> requests = new ArrayList<>();

    InMemoryTaskCenter(Clock clock) {
        this.clock = clock;
    }

    void add(String target, String id, String status, Instant created) {
        tasks.computeIfAbsent(target, t -> new ArrayList<>()).add(new Task(id, status, created));
    }

    void setStatus(String target, String id, String status) {
        List<Task> list = tasks.get(target);
        list.replaceAll(t -> t.id().equals(id) ? new Task(id, status, t.created()) : t);
    }

    /** The next request of {@code target} gets this answer instead. */
    void then(String target, int status, String body, String retryAfter) {
        scripted.computeIfAbsent(target, t -> new ArrayDeque<>())
                .add(new ApiResponse(status, body, retryAfter, null, "mem://" + target));
    }

    /**
     * Each request takes the next of these durations in turn (on a {@link ManualClock}, which it advances) and is
     * recorded when it has taken it: the server sees it as late as possible, the worst case for the spacing of the
     * next request.
     */
    void latencies(Duration... cycle) {
        if (!(clock instanceof ManualClock)) {
            throw new IllegalStateException("latencies need a ManualClock to advance");
        }
        latencies = List.of(cycle);
    }

    /** When the list requests of {@code target} were made (the first request of each cycle). */
    List<Instant> listings(String target) {
        return requests.stream().filter(r -> r.target().equals(target) && r.query().containsKey("from")
                && !r.query().containsKey("status")).map(Request::at).toList();
    }

    List<Instant> times(String target) {
        return requests.stream().filter(r -> r.target().equals(target)).map(Request::at).toList();
    }

    @Override
    public ApiResponse execute(Target target, ApiRequest request, Authenticator authenticator) {
        if (!latencies.isEmpty()) {
            ((ManualClock) clock).advance(latencies.get(requests.size() % latencies.size()));
        }
        Instant now = clock.instant();
        requests.add(new Request(now, target.name(), request.query()));
        String source = "mem://" + target.name() + request.path();
        Deque<ApiResponse> script = scripted.get(target.name());
        if (script != null && !script.isEmpty()) {
            ApiResponse r = script.poll();
            return new ApiResponse(r.status(), r.body(), r.retryAfter(), now, source);
        }
        if (request.path().endsWith("/task")) {
            return get(target, request.query().get("id"), now, source);
        }
        Instant from = Instant.ofEpochMilli(Long.parseLong(request.query().get("from")));
        Instant to = Instant.ofEpochMilli(Long.parseLong(request.query().get("to")));
        int offset = Integer.parseInt(request.query().get("offset"));
        int limit = Integer.parseInt(request.query().get("limit"));
        List<Task> inWindow = tasks.getOrDefault(target.name(), List.of()).stream()
                .filter(t -> !t.created().isBefore(from) && !t.created().isAfter(to))
                .filter(t -> !request.query().containsKey("status") || request.query().get("status").equals(t.status()))
                .sorted(Comparator.comparing(Task::created).thenComparing(Task::id)).toList();
        ObjectNode root = JSON.createObjectNode();
        ArrayNode page = root.putArray("tasks");
        inWindow.stream().skip(offset).limit(limit).forEach(t -> {
            ObjectNode node = page.addObject();
            node.put("id", t.id());
            node.put("status", t.status());
            node.put("created", t.created().toEpochMilli());
        });
        root.put("total_count", inWindow.size());
        return new ApiResponse(200, root.toString(), null, now, source);
    }

    private ApiResponse get(Target target, String id, Instant now, String source) {
        return tasks.getOrDefault(target.name(), List.of()).stream().filter(t -> t.id().equals(id)).findFirst()
                .map(t -> {
                    ObjectNode root = JSON.createObjectNode();
                    ObjectNode node = root.putObject("task");
                    node.put("id", t.id());
                    node.put("status", t.status());
                    node.put("created", t.created().toEpochMilli());
                    return new ApiResponse(200, root.toString(), null, now, source);
                })
                .orElseGet(() -> new ApiResponse(404, "{\"error_code\":\"TEST.404\",\"error_msg\":\"no such job\"}",
                        null, now, source));
    }
}
