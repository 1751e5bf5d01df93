package dev.taskwatch.devkit.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.taskwatch.taskcenter.Service;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every request of the simulator's HTTP server: an exact-path {@link SimulatedEndpoint} (IAM) as it is; a
 * task-center path by the {@link SimulatedService} of its {@link ServiceRoute} after what the gateway does for all of them (GET only, injected
 * faults, authentication), with the schedule advanced to now and the body possibly damaged; anything else with the
 * gateway's 404 {@code APIGW.0101}. Counts requests and reports each to the {@link Simulator#onRequest} hooks.
 */
final class SimulatorRouter implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(Simulator.class);

    private final Map<String, SimulatedEndpoint> endpoints;
    /** APIs outside the task centers addressed by a path pattern (the instance lists), answered like endpoints. */
    private final Map<Pattern, SimulatedEndpoint> patterns;
    private final List<ServiceRoute> services;
    private final SimulatedTaskCenter tasks;
    private final SimulatorSettings settings;
    private final RequestAuthentication authentication;
    private final FaultInjection faults;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong requests = new AtomicLong();
    private final List<Consumer<SimulatedRequest>> listeners = new CopyOnWriteArrayList<>();

    SimulatorRouter(Map<String, SimulatedEndpoint> endpoints, Map<Pattern, SimulatedEndpoint> patterns,
            List<ServiceRoute> services, SimulatedTaskCenter tasks, SimulatorSettings settings,
            RequestAuthentication authentication, FaultInjection faults) {
        this.endpoints = Map.copyOf(endpoints);
        this.patterns = Map.copyOf(patterns);
        this.services = List.copyOf(services);
        this.tasks = tasks;
        this.settings = settings;
        this.authentication = authentication;
        this.faults = faults;
    }

    long requestCount() {
        return requests.get();
    }

    void onRequest(Consumer<SimulatedRequest> listener) {
        listeners.add(listener);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Addressed addressed = new Addressed();
        Instant receivedAt = Instant.now();
        try (exchange) {
            SimulatedAnswer answer;
            try {
                answer = route(exchange, addressed);
            } catch (SimulatedApiError.Raised raised) {
                answer = SimulatedAnswer.error(raised.error);
            } catch (RuntimeException e) {
                log.warn("Simulator failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        e);
                answer = SimulatedAnswer.error(
                        new SimulatedApiError(500, SimulatedApiError.INTERNAL_ERROR, "Internal error"));
            }
            report(exchange, receivedAt, addressed); // before the answer, see Simulator#onRequest
            send(exchange, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SimulatedAnswer route(HttpExchange exchange, Addressed addressed)
            throws IOException, InterruptedException {
        String path = exchange.getRequestURI().getRawPath();
        SimulatedEndpoint endpoint = endpoints.get(path);
        if (endpoint != null) {
            return endpoint.answer(exchange);
        }
        for (Map.Entry<Pattern, SimulatedEndpoint> e : patterns.entrySet()) {
            if (e.getKey().matcher(path).matches()) {
                return e.getValue().answer(exchange);
            }
        }
        for (ServiceRoute route : services) {
            Matcher matcher = route.path().matcher(path);
            if (matcher.matches()) {
                return serve(exchange, route, matcher, addressed);
            }
        }
        return SimulatedAnswer.error(SimulatedApiError.noSuchApi());
    }

    private SimulatedAnswer serve(HttpExchange exchange, ServiceRoute route, Matcher path, Addressed addressed)
            throws IOException, InterruptedException {
        String method = exchange.getRequestMethod();
        if (!"GET".equals(method)) {
            return SimulatedAnswer.error(SimulatedApiError.methodNotAllowed(method));
        }
        Optional<SimulatedAnswer> fault = faults.beforeServing();
        if (fault.isPresent()) {
            return fault.get();
        }
        String project = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
        addressed.service = route.service();
        addressed.project = project;
        authentication.authenticate(exchange);
        SimulatedQuery query = SimulatedQuery.parse(exchange.getRequestURI().getRawQuery());
        tasks.advance();
        SimulatedCall call = new SimulatedCall(route.service(), project, path, query, tasks, settings,
                start -> addressed.windowStart = start);
        byte[] body = json.writeValueAsBytes(route.api().answer(call));
        return new SimulatedAnswer(200, faults.damage(body), Map.of());
    }

    private void report(HttpExchange exchange, Instant receivedAt, Addressed addressed) {
        if (listeners.isEmpty()) {
            return;
        }
        SimulatedRequest request = new SimulatedRequest(receivedAt, addressed.service, addressed.project,
                RequestAuthentication.caller(exchange), addressed.windowStart);
        listeners.forEach(l -> l.accept(request));
    }

    private static void send(HttpExchange exchange, SimulatedAnswer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.getResponseHeaders().set("X-Request-Id", UUID.randomUUID().toString().replace("-", ""));
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        if (answer.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    /**
     * What one request addressed, filled in as it is routed, for the hooks. (Not exchange attributes: on Java 17's
     * server they are shared by all exchanges of a context, so one request saw another's.)
     */
    private static final class Addressed {
        Service service;
        String project;
        Instant windowStart;
    }
}
