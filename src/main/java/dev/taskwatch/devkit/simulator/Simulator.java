package dev.taskwatch.devkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.taskwatch.JdkHttpServers;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated task center: the task-center APIs of all four services on one loopback port, each under its
 * service id as a path prefix, plus an IAM token endpoint.
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
 *   GET  /v3/auth/projects                         IAM project list ({@link SimulatedIam})
 *   POST /v3/auth/tokens                           IAM password login (X-Subject-Token, valid 24 h)
 * </pre>
 *
 * Requests need an {@code X-Auth-Token} (see {@link SimulatorSettings#acceptedTokens()}) or an AK/SK signature
 * ({@code Authorization: SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...} and an {@code X-Sdk-Date}
 * within 15 minutes of the clock; the signature itself is verified only for the access keys listed in
 * {@link SimulatorSettings#accessKeys()}, see {@link AkSkVerifier}). Errors use the OTC body
 * {@code {"error_code": "...", "error_msg": "..."}}; a get-by-id of an unknown id, or of a task younger than
 * {@link SimulatorSettings#notFoundGrace()}, answers HTTP 404 {@code DBS.200019} (assumed; the real code is not in
 * the specs).
 */
public final class Simulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Simulator.class);

    static {
        JdkHttpServers.sendWithoutDelay(); // see there: ~40 ms per request otherwise
    }

    /** Longest time window the list APIs accept. */
    static final Duration MAX_SPAN = Service.MAX_WINDOW_SPAN;
    /** AK/SK requests whose X-Sdk-Date is further off than this are rejected, as the gateway does. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);
    static final Duration TOKEN_VALIDITY = Duration.ofHours(24);

    private static final Pattern GEMINIDB = Pattern.compile("/geminidb/v3/([^/]+)/jobs/?");
    private static final Pattern OPENGAUSS = Pattern.compile("/opengauss/v3/([^/]+)/(tasks|jobs)/?");
    private static final Pattern DDS = Pattern.compile("/dds/v3/([^/]+)/jobs/?");
    private static final Pattern TAURUSDB = Pattern.compile("/taurusdb/mysql/v3/([^/]+)/jobs/?");
    private static final Pattern SDK_AUTHORIZATION = Pattern.compile(
            "SDK-HMAC-SHA256\\s+Access=([^,\\s]+),\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-fA-F]+)");
    private static final DateTimeFormatter SDK_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx");
    private static final DateTimeFormatter IAM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Set<Integer> GEMINIDB_LIMITS = Set.of(10, 20, 50);

    private final SimulatorSettings settings;
    private final SimulatedTaskCenter tasks;
    private final Clock clock;
    private final ResponseDelay sleeper;
    private final Random faults;
    private final Map<String, Instant> issuedTokens = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private final List<Consumer<SimulatedRequest>> requestListeners = new CopyOnWriteArrayList<>();
    private final SimulatedIam iam;
    private final SimulatedInstances instances = new SimulatedInstances();

    private Simulator(SimulatorSettings settings, Clock clock, ResponseDelay sleeper) throws IOException {
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.tasks = new SimulatedTaskCenter(settings, clock);
        this.iam = new SimulatedIam("eu-de", settings.projects());
        this.faults = new Random(settings.seed() * 31 + 7);
        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "simulator-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
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
        List<Target> targets = new java.util.ArrayList<>();
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

    /** The IAM project list, for discovery tests. */
    public SimulatedIam iam() {
        return iam;
    }

    /** Which projects have instances, for discovery tests. */
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
        return requests.get();
    }

    /**
     * Registers a hook called with every request received (once its answer is ready and before it is sent, on the
     * simulator's HTTP thread, so a client that got the answer finds its request reported), for
     * tests that check what a client spent per credential and which windows it read. Nothing is kept otherwise, so a
     * long-running simulator does not grow.
     */
    public void onRequest(Consumer<SimulatedRequest> listener) {
        requestListeners.add(listener);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Addressed addressed = new Addressed();
        Instant receivedAt = Instant.now();
        try (exchange) {
            Answer answer;
            try {
                answer = route(exchange, addressed);
            } catch (SimulatedApiError.Raised raised) {
                answer = Answer.error(raised.error);
            } catch (RuntimeException e) {
                log.warn("Simulator failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        e);
                answer = Answer.error(new SimulatedApiError(500, SimulatedApiError.INTERNAL_ERROR, "Internal error"));
            }
            report(exchange, receivedAt, addressed); // before the answer, see onRequest
            send(exchange, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void report(HttpExchange exchange, Instant receivedAt, Addressed addressed) {
        if (requestListeners.isEmpty()) {
            return;
        }
        SimulatedRequest request = new SimulatedRequest(receivedAt, addressed.service, addressed.project,
                caller(exchange), addressed.windowStart);
        requestListeners.forEach(l -> l.accept(request));
    }

    /**
     * What one request addressed, filled in as it is routed, for the {@link #onRequest} hooks. (Not exchange
     * attributes: on Java 17's server they are shared by all exchanges of a context, so one request saw another's.)
     */
    private static final class Addressed {
        Service service;
        String project;
        Instant windowStart;
    }

    private static String caller(HttpExchange exchange) {
        if (exchange.getRequestURI().getRawPath().equals("/v3/auth/tokens")) {
            return "iam";
        }
        String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        if (token != null) {
            return SimulatedRequest.tokenCaller(token);
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Matcher signature = authorization == null ? null : SDK_AUTHORIZATION.matcher(authorization.trim());
        return signature != null && signature.matches() ? "ak:" + signature.group(1) : "anonymous";
    }

    private Answer route(HttpExchange exchange, Addressed addressed) throws IOException, InterruptedException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/v3/auth/tokens")) {
            return "POST".equals(method) ? issueToken(exchange) : Answer.error(SimulatedApiError.methodNotAllowed(method));
        }
        if (path.equals(SimulatedIam.PROJECTS_PATH) || SimulatedInstances.match(path) != null) {
            if (!"GET".equals(method)) {
                return Answer.error(SimulatedApiError.methodNotAllowed(method));
            }
            authenticate(exchange);
            SimulatedInstances.Addressed listed = SimulatedInstances.match(path);
            return new Answer(200, json.writeValueAsBytes(listed == null ? iam.listProjects(baseUrl())
                    : instances.list(listed, query(exchange.getRequestURI().getRawQuery()))), Map.of());
        }
        Service service = null;
        Matcher matcher = null;
        for (Map.Entry<Service, Pattern> route : Map.of(Service.GEMINIDB, GEMINIDB, Service.OPENGAUSS, OPENGAUSS,
                Service.DDS, DDS, Service.TAURUSDB, TAURUSDB, Service.RDS, SimulatedRds.JOBS).entrySet()) {
            Matcher m = route.getValue().matcher(path);
            if (m.matches()) {
                service = route.getKey();
                matcher = m;
            }
        }
        if (service == null) {
            return Answer.error(SimulatedApiError.noSuchApi());
        }
        if (!"GET".equals(method)) {
            return Answer.error(SimulatedApiError.methodNotAllowed(method));
        }
        Answer fault = drawFault();
        if (fault != null) {
            return fault;
        }
        String project = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
        addressed.service = service;
        addressed.project = project;
        authenticate(exchange);
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        tasks.advance();
        boolean ddsGet = service == Service.DDS && query.containsKey("id") && !query.containsKey("start_time")
                && !query.containsKey("end_time");
        Map<String, Object> body = switch (service) {
            case GEMINIDB -> geminiDbList(addressed, project, query);
            case OPENGAUSS -> matcher.group(2).equals("jobs")
                    ? SimulatedJson.openGaussGet(getById(Service.OPENGAUSS, project, query))
                    : openGaussList(addressed, project, query);
            case DDS -> ddsGet ? SimulatedJson.ddsGet(getById(Service.DDS, project, query))
                    : ddsList(addressed, project, query);
            case TAURUSDB -> SimulatedJson.taurusDbGet(getById(Service.TAURUSDB, project, query));
            case RDS -> SimulatedRds.get(getById(Service.RDS, project, query));
        };
        byte[] bytes = json.writeValueAsBytes(body);
        if (draw(settings.faults().malformedProbability())) {
            bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        } else if (draw(settings.faults().trailingBraceProbability())) {
            bytes = (new String(bytes, StandardCharsets.UTF_8) + "\n}").getBytes(StandardCharsets.UTF_8);
        }
        return new Answer(200, bytes, Map.of());
    }

    private Map<String, Object> geminiDbList(Addressed addressed, String project, Map<String, String> query) {
        Instant now = clock.instant();
        Instant start = query.containsKey("start_time") ? isoTime(query, "start_time") : now.minus(MAX_SPAN);
        addressed.windowStart = start;
        Instant end = query.containsKey("end_time") ? isoTime(query, "end_time") : now;
        checkWindow(start, end, true);
        int offset = offset(query);
        int limit = integer(query, "limit", 50);
        if (!GEMINIDB_LIMITS.contains(limit)) {
            throw SimulatedApiError.invalidParameter("limit must be 10, 20 or 50: " + limit).raise();
        }
        List<SimTask> matching = matching(Service.GEMINIDB, project, query, start, end, true);
        return SimulatedJson.geminiDbList(page(matching, offset, limit), matching.size());
    }

    private Map<String, Object> openGaussList(Addressed addressed, String project, Map<String, String> query) {
        Instant start = query.containsKey("start_time") ? millisTime(query, "start_time") : Instant.MIN;
        addressed.windowStart = start;
        Instant end = query.containsKey("end_time") ? millisTime(query, "end_time") : Instant.MAX;
        if (query.containsKey("start_time") && query.containsKey("end_time")) {
            checkWindow(start, end, false);
        }
        int limit = integer(query, "limit", 100);
        checkLimit(limit);
        int offset = offset(query);
        if (settings.offsetReading() == OffsetReading.PAGES) {
            offset = Math.max(0, offset - 1) * limit; // page 1 (or 0) is the first page
        }
        List<SimTask> matching = matching(Service.OPENGAUSS, project, query, start, end, false);
        return SimulatedJson.openGaussList(page(matching, offset, limit), matching.size());
    }

    private Map<String, Object> ddsList(Addressed addressed, String project, Map<String, String> query) {
        for (String required : List.of("start_time", "end_time")) {
            if (!query.containsKey(required) || query.get(required).isBlank()) {
                throw SimulatedApiError.invalidParameter(required + " is mandatory").raise();
            }
        }
        Instant start = isoTime(query, "start_time");
        addressed.windowStart = start;
        Instant end = isoTime(query, "end_time");
        checkWindow(start, end, true);
        // The DDS spec calls offset "a positive integer" with default 0; real clients send offset=0 (Terraform) or
        // leave it out (taskwatch's first page), so both are accepted; only a negative offset is refused.
        int offset = offset(query);
        int limit = integer(query, "limit", 100);
        checkLimit(limit);
        return SimulatedJson.ddsList(page(matching(Service.DDS, project, query, start, end, true), offset, limit));
    }

    private SimTask getById(Service service, String project, Map<String, String> query) {
        String id = query.get("id");
        if (id == null || id.isBlank()) {
            throw SimulatedApiError.invalidParameter("id is mandatory").raise();
        }
        Instant now = clock.instant();
        Instant youngest = now.minus(settings.notFoundGrace());
        return tasks.visibleTasks(service, project).stream()
                .filter(t -> t.id().equals(id))
                .filter(t -> t.createdAt().isBefore(youngest) || settings.notFoundGrace().isZero())
                .findFirst()
                .orElseThrow(() -> SimulatedApiError.jobNotFound(id).raise());
    }

    private List<SimTask> matching(Service service, String project, Map<String, String> query, Instant start,
            Instant end, boolean idFilter) {
        Predicate<SimTask> filter = t -> !t.createdAt().isBefore(start) && !t.createdAt().isAfter(end);
        String status = query.get("status");
        if (status != null && !status.isEmpty()) {
            filter = filter.and(t -> t.rawStatus().equalsIgnoreCase(status));
        }
        String name = query.get("name");
        if (name != null && !name.isEmpty()) {
            filter = filter.and(t -> t.name().trim().equals(name.trim()));
        }
        String id = query.get("id");
        if (idFilter && id != null && !id.isEmpty()) {
            filter = filter.and(t -> t.id().equals(id));
        }
        return tasks.visibleTasks(service, project).stream().filter(filter).toList();
    }

    private static List<SimTask> page(List<SimTask> matching, int offset, int limit) {
        if (offset >= matching.size()) {
            return List.of();
        }
        return matching.subList(offset, Math.min(matching.size(), offset + limit));
    }

    private static void checkWindow(Instant start, Instant end, boolean limitSpan) {
        if (!end.isAfter(start)) {
            throw SimulatedApiError.invalidParameter("end_time must be later than start_time").raise();
        }
        if (limitSpan && Duration.between(start, end).compareTo(MAX_SPAN) > 0) {
            throw SimulatedApiError.invalidParameter("the time span between start_time and end_time cannot exceed 30 days")
                    .raise();
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 100) {
            throw SimulatedApiError.invalidParameter("limit must be between 1 and 100: " + limit).raise();
        }
    }

    private static int offset(Map<String, String> query) {
        int offset = integer(query, "offset", 0);
        if (offset < 0) {
            throw SimulatedApiError.invalidParameter("offset cannot be negative: " + offset).raise();
        }
        return offset;
    }

    private static int integer(Map<String, String> query, String name, int defaultValue) {
        String value = query.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw SimulatedApiError.invalidParameter(name + " must be an integer: '" + value + "'").raise();
        }
    }

    /**
     * {@code yyyy-MM-dd'T'HH:mm:ssZ} with a {@code +HHMM} offset. A {@code +} sent unencoded arrives as a blank after
     * form decoding; that is read as {@code +} rather than rejected, since real gateways differ on it.
     */
    private static Instant isoTime(Map<String, String> query, String name) {
        String value = query.get(name);
        String normalised = value.matches(".*T\\d\\d:\\d\\d:\\d\\d \\d{4}")
                ? value.substring(0, value.length() - 5) + "+" + value.substring(value.length() - 4)
                : value;
        try {
            return OffsetDateTime.parse(normalised, WINDOW).toInstant();
        } catch (DateTimeParseException e) {
            throw SimulatedApiError.invalidParameter(name + " must have the format yyyy-mm-ddThh:mm:ssZ (e.g. "
                    + "2023-09-12T06:44:01+0000): '" + value + "'").raise();
        }
    }

    private static Instant millisTime(Map<String, String> query, String name) {
        String value = query.get(name);
        if (!value.matches("\\d{1,15}")) {
            throw SimulatedApiError.invalidParameter(name + " must be a UNIX timestamp in milliseconds: '" + value + "'")
                    .raise();
        }
        return Instant.ofEpochMilli(Long.parseLong(value));
    }

    private Answer drawFault() throws InterruptedException {
        SimulatorSettings.Faults f = settings.faults();
        if (draw(f.throttleProbability())) {
            long seconds = Math.max(1, f.retryAfter().toSeconds());
            return Answer.error(new SimulatedApiError(429, "APIGW.0308", "The throttling threshold has been reached"),
                    Map.of("Retry-After", Long.toString(seconds)));
        }
        if (draw(f.gatewayThrottleProbability())) {
            return Answer.error(new SimulatedApiError(f.gatewayThrottleStatus(), "APIG.0308",
                    "The throttling threshold has been reached: policy user over ratelimit,limit:60,time:1 minute"));
        }
        if (draw(f.serverErrorProbability())) {
            return Answer.error(new SimulatedApiError(500, SimulatedApiError.INTERNAL_ERROR, "Internal error"));
        }
        if (draw(f.slowProbability())) {
            sleeper.sleep(f.slowDelay());
        }
        return null;
    }

    /** One draw per configured fault and request, so the sequence is reproducible for a seed. */
    private boolean draw(double probability) {
        if (probability <= 0.0) {
            return false;
        }
        synchronized (faults) {
            return faults.nextDouble() < probability;
        }
    }

    private void authenticate(HttpExchange exchange) {
        String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (token != null) {
            if (token.isBlank()) {
                throw SimulatedApiError.unauthorized("empty X-Auth-Token").raise();
            }
            Instant expiry = issuedTokens.get(token);
            if (expiry != null) {
                if (clock.instant().isAfter(expiry)) {
                    throw SimulatedApiError.unauthorized("the token has expired").raise();
                }
                return;
            }
            if (settings.acceptedTokens().isEmpty() || settings.acceptedTokens().contains(token)) {
                return;
            }
            throw SimulatedApiError.unauthorized("the token is not valid").raise();
        }
        if (authorization != null) {
            Matcher signature = SDK_AUTHORIZATION.matcher(authorization.trim());
            if (!signature.matches()) {
                throw SimulatedApiError.unauthorized("Authorization is not 'SDK-HMAC-SHA256 Access=..., SignedHeaders=..., "
                        + "Signature=...'").raise();
            }
            String sdkDate = exchange.getRequestHeaders().getFirst("X-Sdk-Date");
            if (sdkDate == null) {
                throw SimulatedApiError.unauthorized("X-Sdk-Date is missing").raise();
            }
            Instant signedAt;
            try {
                signedAt = LocalDateTime.parse(sdkDate, SDK_DATE).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw SimulatedApiError.unauthorized("X-Sdk-Date is not yyyyMMdd'T'HHmmss'Z': '" + sdkDate + "'").raise();
            }
            if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
                throw SimulatedApiError.unauthorized("X-Sdk-Date is more than 15 minutes off").raise();
            }
            if (!settings.accessKeys().isEmpty()) {
                verifySignature(exchange, signature, sdkDate);
            }
            return;
        }
        throw SimulatedApiError.unauthorized("no X-Auth-Token and no Authorization header").raise();
    }

    private void verifySignature(HttpExchange exchange, Matcher authorization, String sdkDate) {
        String secret = settings.accessKeys().get(authorization.group(1));
        if (secret == null) {
            throw SimulatedApiError.unauthorized("unknown access key").raise();
        }
        List<String> signedHeaders = List.of(authorization.group(2).split(";"));
        if (!signedHeaders.contains("x-sdk-date")) {
            throw SimulatedApiError.unauthorized("x-sdk-date is not among the signed headers").raise();
        }
        URI uri = exchange.getRequestURI();
        String expected = AkSkVerifier.signature(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                signedHeaders, exchange.getRequestHeaders()::getFirst, new byte[0], sdkDate, secret);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                authorization.group(3).toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw SimulatedApiError.unauthorized("the signature does not match").raise();
        }
    }

    private Answer issueToken(HttpExchange exchange) throws IOException {
        JsonNode request;
        try (InputStream in = exchange.getRequestBody()) {
            request = json.readTree(in);
        } catch (IOException e) {
            return iamError(400, "The request body is not valid JSON");
        }
        JsonNode user = request == null ? null : request.at("/auth/identity/password/user");
        if (user == null || user.isMissingNode()) {
            return iamError(400, "Expected auth.identity.password.user");
        }
        String name = user.path("name").asText("");
        String password = user.path("password").asText("");
        String domain = user.at("/domain/name").asText("");
        boolean known = settings.users().isEmpty()
                ? !name.isEmpty() && !password.isEmpty()
                : password.equals(settings.users().get(name));
        if (!known) {
            return iamError(401, "The username or password is wrong.");
        }
        Instant now = clock.instant();
        Instant expires = now.plus(TOKEN_VALIDITY);
        String token = "MIIsim" + UUID.randomUUID().toString().replace("-", "");
        issuedTokens.put(token, expires);
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> tokenBody = new LinkedHashMap<>();
        tokenBody.put("expires_at", IAM_TIME.format(expires));
        tokenBody.put("issued_at", IAM_TIME.format(now));
        tokenBody.put("methods", List.of("password"));
        tokenBody.put("user", Map.of("name", name, "id", "u" + Integer.toHexString(name.hashCode()),
                "domain", Map.of("name", domain, "id", "d" + Integer.toHexString(domain.hashCode()))));
        JsonNode project = request.at("/auth/scope/project");
        if (!project.isMissingNode()) {
            Map<String, Object> projectBody = new LinkedHashMap<>();
            projectBody.put("id", project.path("id").asText(SimulatorSettings.DEFAULT_PROJECT));
            projectBody.put("name", project.path("name").asText("eu-de"));
            tokenBody.put("project", projectBody);
        }
        body.put("token", tokenBody);
        return new Answer(201, json.writeValueAsBytes(body), Map.of("X-Subject-Token", token));
    }

    private Answer iamError(int status, String message) throws IOException {
        // IAM answers in the Keystone shape, not the OTC service shape
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", status);
        error.put("message", message);
        error.put("title", status == 401 ? "Unauthorized" : "Bad Request");
        return new Answer(status, json.writeValueAsBytes(Map.of("error", error)), Map.of());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.putIfAbsent(name, value);
        }
        return query;
    }

    private void send(HttpExchange exchange, Answer answer) throws IOException {
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

    private record Answer(int status, byte[] body, Map<String, String> headers) {

        private static final ObjectMapper JSON = new ObjectMapper();

        static Answer error(SimulatedApiError error) {
            return error(error, Map.of());
        }

        static Answer error(SimulatedApiError error, Map<String, String> headers) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error_code", error.code());
            body.put("error_msg", error.message());
            try {
                return new Answer(error.status(), JSON.writeValueAsBytes(body), headers);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
