package dev.taskwatch.poller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-JVM task center speaking {@link TestDialect}'s format. Each tenant lives under its own path prefix
 * ({@code http://127.0.0.1:port/<prefix>}), like the simulator serves each service under one. Lists honour the
 * creation-time window and offset/limit; scripted responses and a "down" status override the normal answers.
 */
final class FakeTaskCenter implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Recorded(Instant at, String path, Map<String, String> query, String token, String rawQuery) {}

    record Scripted(int status, Map<String, String> headers, String body) {}

    static final class FakeTask {
        final String id;
        volatile String status;
        final Instant created;

        FakeTask(String id, String status, Instant created) {
            this.id = id;
            this.status = status;
            this.created = created;
        }
    }

    final class Tenant {
        final List<FakeTask> tasks = new CopyOnWriteArrayList<>();
        final Deque<Scripted> script = new ConcurrentLinkedDeque<>();
        final List<Recorded> requests = new CopyOnWriteArrayList<>();
        volatile boolean omitTotal;
        volatile int downStatus;
        volatile long stallMillis;

        FakeTask add(String id, String status, Instant created) {
            FakeTask t = new FakeTask(id, status, created);
            tasks.add(t);
            return t;
        }

        FakeTask task(String id) {
            return tasks.stream().filter(t -> t.id.equals(id)).findFirst().orElseThrow();
        }

        Tenant then(int status, String body, Map<String, String> headers) {
            script.add(new Scripted(status, headers, body));
            return this;
        }

        Tenant then(int status, String body) {
            return then(status, body, Map.of());
        }
    }

    private final Clock clock;
    private final HttpServer server;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

    FakeTaskCenter(Clock clock) throws IOException {
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    Tenant tenant(String prefix) {
        return tenants.computeIfAbsent(prefix, p -> new Tenant());
    }

    URI endpoint(String prefix) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + prefix);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getRawPath().split("/");
            // "", prefix, v3, project, tasks|task
            Tenant tenant = parts.length == 5 ? tenants.get(parts[1]) : null;
            if (tenant == null) {
                respond(exchange, 404, "{\"error_code\":\"NO.ROUTE\"}", Map.of());
                return;
            }
            Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
            tenant.requests.add(new Recorded(clock.instant(), exchange.getRequestURI().getRawPath(), query,
                    exchange.getRequestHeaders().getFirst("X-Auth-Token"), exchange.getRequestURI().getRawQuery()));
            if (tenant.stallMillis > 0) {
                try {
                    Thread.sleep(tenant.stallMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (tenant.downStatus != 0) {
                respond(exchange, tenant.downStatus, "{\"error_code\":\"TEST.DOWN\"}", Map.of());
                return;
            }
            Scripted scripted = tenant.script.poll();
            if (scripted != null) {
                respond(exchange, scripted.status(), scripted.body(), scripted.headers());
                return;
            }
            if (parts[4].equals("tasks")) {
                respond(exchange, 200, list(tenant, query), Map.of());
            } else {
                FakeTask task = tenant.tasks.stream().filter(t -> t.id.equals(query.get("id"))).findFirst()
                        .orElse(null);
                if (task == null) {
                    respond(exchange, 404, "{\"error_code\":\"TEST.404\",\"error_msg\":\"no such job\"}", Map.of());
                } else {
                    ObjectNode root = JSON.createObjectNode();
                    root.set("task", json(task));
                    respond(exchange, 200, root.toString(), Map.of());
                }
            }
        }
    }

    private String list(Tenant tenant, Map<String, String> query) {
        Instant from = Instant.ofEpochMilli(Long.parseLong(query.get("from")));
        Instant to = Instant.ofEpochMilli(Long.parseLong(query.get("to")));
        int offset = Integer.parseInt(query.get("offset"));
        int limit = Integer.parseInt(query.get("limit"));
        List<FakeTask> inWindow = new ArrayList<>(tenant.tasks.stream()
                .filter(t -> !t.created.isBefore(from) && !t.created.isAfter(to))
                .filter(t -> !query.containsKey("status") || query.get("status").equals(t.status)).toList());
        inWindow.sort(Comparator.comparing((FakeTask t) -> t.created).thenComparing(t -> t.id));
        ObjectNode root = JSON.createObjectNode();
        ArrayNode tasks = root.putArray("tasks");
        inWindow.stream().skip(offset).limit(limit).forEach(t -> tasks.add(json(t)));
        if (!tenant.omitTotal) {
            root.put("total_count", inWindow.size());
        }
        return root.toString();
    }

    private static ObjectNode json(FakeTask t) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", t.id);
        node.put("name", "Task " + t.id);
        node.put("status", t.status);
        node.put("created", t.created.toEpochMilli());
        return node;
    }

    private static Map<String, String> parse(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return Collections.unmodifiableMap(out);
    }

    private static void respond(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
