package dev.taskwatch.devkit.simulator;

import com.sun.net.httpserver.HttpServer;
import dev.taskwatch.JdkHttpServers;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated task center: the task-center APIs of all five services on one loopback port, each under its
 * service id as a path prefix, plus IAM (token and project list) and each service's instance list.
 *
 * <pre>
 *   GET  /geminidb/v3/{project_id}/jobs            GeminiDB list   (limit 10|20|50, window optional, span &le; 30 d)
 *   GET  /geminidb/v3/{project_id}/jobs?id=..      GeminiDB get-by-id (the list filtered by id: jobs[0] or empty)
 *   GET  /opengauss/v3/{project_id}/tasks          openGauss list  (limit 1..100, window in UNIX milliseconds;
 *                                                                  offset read as items, or as a page number from
 *                                                                  1 with {@link SimulatorSettings#offsetReading})
 *   GET  /opengauss/v3/{project_id}/jobs?id=..     openGauss get-by-id (ShowJobDetail: {"job": {...}})
 *   GET  /dds/v3/{project_id}/jobs?start_time=..   DDS list        (window mandatory, span &le; 30 d, limit 1..100,
 *                                                                  offset absent, 0 or more)
 *   GET  /dds/v3/{project_id}/jobs?id=..           DDS get-by-id   (an id and no window selects the get)
 *   GET  /taurusdb/mysql/v3/{project_id}/jobs?id=  TaurusDB get-by-id
 *   GET  /rds/v3/{project_id}/jobs?id=             RDS get-by-id ({@link SimulatedRds})
 *   GET  /{service}/v3/{project_id}/instances      instance lists ({@link SimulatedInstances})
 *   POST /v3/auth/tokens                           IAM password login (X-Subject-Token, valid 24 h)
 *   GET  /v3/auth/projects                         IAM project list ({@link SimulatedIam})
 * </pre>
 *
 * <p>One class per API ({@link GeminiDbApi}, {@link OpenGaussApi}, {@link DdsApi}, {@link TaurusDbApi},
 * {@link IamTokenApi}) holds its handlers and JSON shapes; {@link #routes} lists them; {@link SimulatorRouter} does
 * what the gateway does for all ({@link FaultInjection}, {@link RequestAuthentication}).
 *
 * <p>Requests need an {@code X-Auth-Token} or an AK/SK signature ({@link RequestAuthentication}). Errors use the OTC body
 * {@code {"error_code": "...", "error_msg": "..."}}; a get-by-id of an unknown id, or of a task younger than
 * {@link SimulatorSettings#notFoundGrace()}, answers HTTP 404 {@code DBS.200019} (assumed; the real code is not in
 * the specs).
 */
public final class Simulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Simulator.class);

    static {
        JdkHttpServers.sendWithoutDelay(); // see there: ~40 ms per request otherwise
    }

    private final SimulatorSettings settings;
    private final SimulatedTaskCenter tasks;
    private final SimulatorRouter router;
    private final SimulatedIam iam;
    private final SimulatedInstances instances = new SimulatedInstances();
    private final HttpServer server;
    private final ExecutorService executor;

    private Simulator(SimulatorSettings settings, Clock clock, ResponseDelay sleeper) throws IOException {
        this.settings = settings;
        this.tasks = new SimulatedTaskCenter(settings, clock);
        this.iam = new SimulatedIam("eu-de", settings.projects());
        RequestAuthentication authentication = new RequestAuthentication(settings, clock);
        this.router = routes(settings, clock, authentication, new FaultInjection(settings, sleeper));
        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "simulator-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", router);
        server.start();
    }

    /** The route table: one line per API. */
    private SimulatorRouter routes(SimulatorSettings settings, Clock clock, RequestAuthentication authentication,
            FaultInjection faults) {
        Map<String, SimulatedEndpoint> endpoints = Map.of(
                IamTokenApi.PATH, new IamTokenApi(settings, clock, authentication),
                SimulatedIam.PROJECTS_PATH, exchange -> {
                    if (!"GET".equals(exchange.getRequestMethod())) {
                        return SimulatedAnswer.error(SimulatedApiError.methodNotAllowed(exchange.getRequestMethod()));
                    }
                    authentication.authenticate(exchange);
                    return SimulatedAnswer.json(200, iam.listProjects(baseUrl()), Map.of());
                });
        List<ServiceRoute> services = List.of(
                ServiceRoute.of(Service.GEMINIDB, "/geminidb/v3/([^/]+)/jobs/?", new GeminiDbApi()),
                ServiceRoute.of(Service.OPENGAUSS, "/opengauss/v3/([^/]+)/(tasks|jobs)/?", new OpenGaussApi()),
                ServiceRoute.of(Service.DDS, "/dds/v3/([^/]+)/jobs/?", new DdsApi()),
                ServiceRoute.of(Service.TAURUSDB, "/taurusdb/mysql/v3/([^/]+)/jobs/?", new TaurusDbApi()),
                ServiceRoute.of(Service.RDS, "/rds/v3/([^/]+)/jobs/?", call -> SimulatedRds.get(call.byId())));
        // "has this project an instance of the service": discovery's probe, not a task-center call
        Map<Pattern, SimulatedEndpoint> patterns = Map.of(SimulatedInstances.PATH, exchange -> {
            if (!"GET".equals(exchange.getRequestMethod())) {
                return SimulatedAnswer.error(SimulatedApiError.methodNotAllowed(exchange.getRequestMethod()));
            }
            authentication.authenticate(exchange);
            SimulatedQuery query = SimulatedQuery.parse(exchange.getRequestURI().getRawQuery());
            return SimulatedAnswer.json(200, instances.list(SimulatedInstances.match(
                    exchange.getRequestURI().getRawPath()), query.has("limit") ? Map.of("limit", query.get("limit"))
                    : Map.of()), Map.of());
        });
        return new SimulatorRouter(endpoints, patterns, services, tasks, settings, authentication, faults);
    }

    /** Starts on the system clock with real delays for the slow-response fault. */
    public static Simulator start(SimulatorSettings settings) {
        return start(settings, Clock.systemUTC(), ResponseDelay.REAL);
    }

    /** Starts with an injected clock (drives the task schedule and every timestamp) and sleeper (slow responses). */
    public static Simulator start(SimulatorSettings settings, Clock clock, ResponseDelay sleeper) {
        try {
            Simulator simulator = new Simulator(settings, clock, sleeper);
            log.info("Task-center simulator listening on http://{}:{} ({})", settings.host(), simulator.port(),
                    settings);
            return simulator;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the simulator on " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL of a service, to be used as a target's {@code endpoint}: {@code http://127.0.0.1:PORT/dds}. */
    public URI endpoint(Service service) {
        return URI.create(baseUrl() + "/" + service.id());
    }

    /** The IAM base URL for password credentials ({@code iam-endpoint}); tokens come from {@code POST /v3/auth/tokens}. */
    public URI iamEndpoint() {
        return URI.create(baseUrl());
    }

    /**
     * One target per service and configured project, reaching this simulator: what {@code taskwatch run} polls when
     * no targets are configured.
     *
     * @param credentials name of a credential that the simulator accepts, see {@link #credentials(String)}
     */
    public List<Target> targets(String region, String credentials, Duration interval, Duration activeInterval,
            Duration lookback) {
        List<Target> targets = new ArrayList<>();
        for (Service service : Service.values()) {
            for (String project : settings.projects()) {
                targets.add(new Target(service.id() + "/" + region + "/" + project + " (simulated)", service, region,
                        project, endpoint(service), credentials, interval, activeInterval, lookback));
            }
        }
        return targets;
    }

    /** A static-token credential this simulator accepts (its first accepted token, or any token when none is set). */
    public Credentials.StaticToken credentials(String name) {
        String token = settings.acceptedTokens().stream().sorted().findFirst().orElse("simulator-token");
        return new Credentials.StaticToken(name, token);
    }

    /** The model behind the APIs, for scripting tasks and for the {@code onTaskCreated} hook. */
    public SimulatedTaskCenter tasks() {
        return tasks;
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** The simulated IAM project list ({@code GET /v3/auth/projects}), for discovery tests to add and remove projects. */
    public SimulatedIam iam() {
        return iam;
    }

    /** Which projects hold an instance of which service (the instance lists discovery probes). */
    public SimulatedInstances instances() {
        return instances;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String baseUrl() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + port();
    }

    /** Requests answered so far (task-center and IAM): tests and benchmarks prove what a poller cost with it. */
    public long requestCount() {
        return router.requestCount();
    }

    /**
     * Registers a hook called with every request received (once its answer is ready and before it is sent, on the
     * simulator's HTTP thread, so a client that got the answer finds its request reported), for
     * tests that check what a client spent per credential and which windows it read. Nothing is kept otherwise, so a
     * long-running simulator does not grow.
     */
    public void onRequest(Consumer<SimulatedRequest> listener) {
        router.onRequest(listener);
    }
}
