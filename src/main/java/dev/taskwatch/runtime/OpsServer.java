package dev.taskwatch.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.taskwatch.JdkHttpServers;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops HTTP endpoints, on the JDK's built-in server (no extra dependency):
 * <ul>
 *   <li>{@code /health/live}: 200 while the process runs;</li>
 *   <li>{@code /health/ready}: 200 when the {@link ReadinessCheck} says ready, else 503; the JSON body says why,
 *       e.g. {@code {"status":"DOWN","reasons":["Kafka Streams is REBALANCING"]}};</li>
 *   <li>{@code /metrics}: Prometheus text format from a {@link PrometheusMeterRegistry}.</li>
 * </ul>
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final JsonFactory JSON = new JsonFactory();

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(InetSocketAddress address, PrometheusMeterRegistry metrics, ReadinessCheck readiness)
            throws IOException {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(readiness, "readiness");
        JdkHttpServers.limitRequestTime();
        server = HttpServer.create(address, 64);
        AtomicInteger n = new AtomicInteger();
        // The JDK server reads each request on an executor thread, so a client holding a half-sent request holds a
        // thread (until the request time limit closes it). A fixed pool of two was stalled by two such clients and a
        // liveness probe then failed on a healthy process: threads are made on demand and idle ones end after 30 s.
        executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "taskwatch-ops-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/health/live", get(ex -> respond(ex, 200, "application/json",
                "{\"status\":\"UP\"}")));
        server.createContext("/health/ready", get(ex -> ready(ex, readiness)));
        server.createContext("/metrics", get(ex -> respond(ex, 200, PROMETHEUS_TEXT, metrics.scrape())));
        server.createContext("/", ex -> respond(ex, 404, "text/plain; charset=utf-8", "Not found: try /health/live, "
                + "/health/ready or /metrics\n"));
        server.start();
    }

    /** {@code http.host} default: all interfaces, so that container and Kubernetes probes reach the port. */
    public static final String DEFAULT_HOST = "0.0.0.0";

    /**
     * The server on the configured port ({@code http.port}) on all interfaces, or empty when the port is 0
     * (disabled).
     *
     * @throws IOException when the port cannot be bound (in use, not permitted)
     */
    public static Optional<OpsServer> startOnConfiguredPort(int port, PrometheusMeterRegistry metrics,
            ReadinessCheck readiness) throws IOException {
        return startOnConfiguredPort(DEFAULT_HOST, port, metrics, readiness);
    }

    /**
     * The server on {@code http.host}:{@code http.port}, or empty when the port is 0 (disabled). The default host
     * {@value #DEFAULT_HOST} is every interface, which probes from outside a container need; {@code 127.0.0.1} keeps
     * the endpoints to the machine.
     *
     * @throws IOException              when the port cannot be bound (in use, not permitted)
     * @throws IllegalArgumentException when the host is not an address of this machine's name resolution
     */
    public static Optional<OpsServer> startOnConfiguredPort(String host, int port, PrometheusMeterRegistry metrics,
            ReadinessCheck readiness) throws IOException {
        if (port == 0) {
            return Optional.empty();
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http.port must be 0 (disabled) or 1..65535, not " + port);
        }
        try {
            OpsServer ops = new OpsServer(new InetSocketAddress(address(host), port), metrics, readiness);
            log.info("Ops HTTP server on {}:{}: /health/live, /health/ready, /metrics", host, ops.port());
            return Optional.of(ops);
        } catch (java.net.BindException e) {
            throw new IOException("Cannot listen on http.port " + port + ": " + e.getMessage(), e);
        }
    }

    private static InetAddress address(String host) {
        String h = host == null || host.isBlank() ? DEFAULT_HOST : host.strip();
        try {
            return InetAddress.getByName(h);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("http.host: cannot resolve '" + h + "' to an address to listen on");
        }
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The server on loopback and a free port chosen by the OS (tests, embedded mode); see {@link #port()}. */
    public static OpsServer startOnEphemeralPort(PrometheusMeterRegistry metrics, ReadinessCheck readiness)
            throws IOException {
        return new OpsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics, readiness);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void ready(HttpExchange exchange, ReadinessCheck check) throws IOException {
        Readiness readiness;
        try {
            readiness = check.check();
        } catch (RuntimeException e) {
            readiness = Readiness.down("readiness check failed: " + e);
        }
        StringWriter body = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.writeStartObject();
            json.writeStringField("status", readiness.ready() ? "UP" : "DOWN");
            json.writeArrayFieldStart("reasons");
            for (String reason : readiness.reasons()) {
                json.writeString(reason);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        respond(exchange, readiness.ready() ? 200 : 503, "application/json", body.toString());
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** GET and HEAD only; anything else is 405. Failures become 500 rather than a dropped connection. */
    private static HttpHandler get(Handler handler) {
        return exchange -> {
            try {
                String method = exchange.getRequestMethod();
                if (!"GET".equals(method) && !"HEAD".equals(method)) {
                    exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                    respond(exchange, 405, "text/plain; charset=utf-8", "Method not allowed\n");
                } else {
                    handler.handle(exchange);
                }
            } catch (RuntimeException | IOException e) {
                log.warn("Ops endpoint {} failed: {}", exchange.getRequestURI(), e.toString());
                try {
                    respond(exchange, 500, "text/plain; charset=utf-8", "Internal error\n");
                } catch (IOException | RuntimeException headersAlreadySent) {
                    // nothing more to tell the client; closing the exchange below ends the response
                }
            } finally {
                exchange.close();
            }
        };
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}
