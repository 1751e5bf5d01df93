package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.devkit.simulator.SimulatorSettings.Faults;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import dev.taskwatch.taskcenter.auth.StaticTokenAuthenticator;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The poller's HTTP behaviour with the real dialects, on the simulator's real wire format: the simulator's faults at
 * probability 1.0 (throttling with and without Retry-After, truncated and trailing-brace bodies, slow answers), and a
 * scripted front in front of the simulator for "500 then success". Time is a {@link ManualClock}; backoff is returned
 * by the cycle, never slept. The only real waiting is the request timeout of the slow-answer test (300 ms).
 */
class RealDialectHttpBehaviourTest {

    static final String PROJECT = SimulatorSettings.DEFAULT_PROJECT;

    final ManualClock clock = new ManualClock(PollerFixture.T0);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final InMemorySnapshotSink sink = new InMemorySnapshotSink();
    final List<TaskKey> released = new CopyOnWriteArrayList<>();
    final UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(2_000));
    PollerSettings settings = new PollerSettings(Duration.ofSeconds(5), 50, Duration.ofSeconds(60),
            Duration.ofMinutes(5), 0.2);
    Simulator simulator;
    HttpServer front;

    @AfterEach
    void stop() {
        if (front != null) {
            front.stop(0);
        }
        if (simulator != null) {
            simulator.close();
        }
        unirest.close();
    }

    private Simulator simulator(Faults faults) {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withNotFoundGrace(Duration.ZERO)
                .withFaults(faults), clock, d -> Thread.sleep(d.toMillis()));
        return simulator;
    }

    private Target target(Service service, URI endpoint) {
        return new Target(service.id(), service, "eu-de", PROJECT, endpoint, "cred", PollerFixture.INTERVAL,
                PollerFixture.ACTIVE_INTERVAL, Duration.ofDays(1));
    }

    private TargetPoller poller(Target target, WatchSet watchSet) {
        return new TargetPoller(new PolledTarget(target, Dialects.of(target.service()),
                new StaticTokenAuthenticator(new Credentials.StaticToken("cred", "token"))), settings,
                new TaskCenterHttp(unirest, settings.requestTimeout(), clock), new StatusCodeResponsePolicy(),
                sink, watchSet, released::add,
                registry, clock, () -> 0.5);
    }

    private TargetPoller poller(Target target) {
        return poller(target, new WatchSet(List.of(target), registry));
    }

    private double requests(String target, String outcome) {
        Counter c = registry.find("taskwatch.poller.requests").tag("target", target).tag("outcome", outcome)
                .counter();
        return c == null ? 0 : c.count();
    }

    private double malformed(String target) {
        Counter c = registry.find("taskwatch.poller.malformed").tag("target", target).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void shouldWaitForRetryAfterWhenTheGatewayAnswers429() throws Exception {
        simulator(Faults.none().withThrottle(1.0, Duration.ofSeconds(7)));
        simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "CreateCassandra");
        TargetPoller poller = poller(target(Service.GEMINIDB, simulator.endpoint(Service.GEMINIDB)));

        Duration next = poller.runCycle();

        assertThat(next).as("Retry-After: 7").isEqualTo(Duration.ofSeconds(7));
        assertThat(requests("geminidb", "APIGW.0308")).isEqualTo(1);
        assertThat(poller.health().lastOutcome()).isEqualTo(ResponseOutcome.THROTTLED);
        assertThat(sink.published).isEmpty();
    }

    @Test
    void shouldBackOffOnAnApig0308BodyWhateverTheStatus() throws Exception {
        simulator(Faults.none().withGatewayThrottle(1.0, 400));
        simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "CreateGaussDBV5Instance");
        TargetPoller poller = poller(target(Service.OPENGAUSS, simulator.endpoint(Service.OPENGAUSS)));

        Duration first = poller.runCycle();
        Duration second = poller.runCycle();

        // no Retry-After: full-jitter exponential backoff from 1 s, random 0.5 -> half the ceiling
        assertThat(first).isEqualTo(Duration.ofMillis(500));
        assertThat(second).isEqualTo(Duration.ofSeconds(1));
        assertThat(requests("opengauss", "APIG.0308")).isEqualTo(2);
        assertThat(poller.health().lastOutcome()).isEqualTo(ResponseOutcome.THROTTLED);
        assertThat(sink.published).isEmpty();
    }

    @Test
    void shouldRecoverAfterAServerErrorAndPublishTheNextAnswer() throws Exception {
        simulator(Faults.none());
        SimTask task = simulator.tasks().createTask(Service.DDS, PROJECT, "Create_MongoDB");
        simulator.tasks().setProgress(task.id(), 40);
        Queue<Integer> failures = new ConcurrentLinkedQueue<>(List.of(500));
        URI endpoint = front(failures, simulator.endpoint(Service.DDS));
        TargetPoller poller = poller(target(Service.DDS, endpoint));

        Duration afterError = poller.runCycle();
        assertThat(afterError).isEqualTo(Duration.ofMillis(500));
        assertThat(requests("dds", "DBS.200000")).as("the 500's error code is counted").isEqualTo(1);
        assertThat(sink.published).isEmpty();

        clock.advance(afterError);
        Duration afterSuccess = poller.runCycle();
        assertThat(afterSuccess).as("a running task: the active interval").isEqualTo(PollerFixture.ACTIVE_INTERVAL);
        assertThat(requests("dds", "200")).as("the history, then what runs before it").isEqualTo(2);
        assertThat(sink.published).singleElement().satisfies(s -> {
            assertThat(s.getTaskId()).isEqualTo(task.id());
            assertThat(s.getStatus()).isEqualTo(TaskStatus.RUNNING);
            assertThat(s.getProgressPercent()).isEqualTo(40);
            assertThat(s.getSource()).isEqualTo(endpoint + "/v3/" + PROJECT + "/jobs");
        });
        assertThat(poller.health().lastError()).isNull();
    }

    @Test
    void shouldCountATruncatedListBodyAndPublishNothing() throws Exception {
        simulator(Faults.none().withMalformedBodies(1.0));
        simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "CreateCassandra");
        simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "RestartInstance");
        TargetPoller poller = poller(target(Service.GEMINIDB, simulator.endpoint(Service.GEMINIDB)));

        Duration next = poller.runCycle();

        assertThat(next).isEqualTo(Duration.ofMillis(500));
        assertThat(malformed("geminidb")).isEqualTo(1);
        assertThat(requests("geminidb", "malformed")).isEqualTo(1);
        assertThat(requests("geminidb", "200")).isZero();
        assertThat(poller.known()).as("nothing advanced").isEmpty();
        assertThat(poller.health().lastError()).contains("Malformed response from target geminidb")
                .doesNotContain("token");
        assertThat(sink.published).isEmpty();
    }

    @Test
    void shouldKeepWatchingATaurusDbIdWhoseBodyHasTheSpecExamplesExtraBrace() throws Exception {
        simulator(Faults.none().withTrailingBrace(1.0));
        SimTask task = simulator.tasks().createTask(Service.TAURUSDB, PROJECT, " RestartGaussDBInstance");
        simulator.tasks().complete(task.id());
        Target target = target(Service.TAURUSDB, simulator.endpoint(Service.TAURUSDB));
        WatchSet watchSet = new WatchSet(List.of(target), registry);
        TaskKey key = new TaskKey("taurusdb", "eu-de", PROJECT, task.id());
        watchSet.apply(key, new WatchRequest("taurusdb", "eu-de", PROJECT, task.id(), clock.instant(), "test",
                null));
        TargetPoller poller = poller(target, watchSet);

        poller.runCycle();

        assertThat(malformed("taurusdb")).isEqualTo(1);
        assertThat(sink.published).isEmpty();
        assertThat(watchSet.contains(key)).as("still watched").isTrue();
        assertThat(released).isEmpty();
    }

    @Test
    void shouldGiveUpOnASlowAnswerAtTheRequestTimeout() throws Exception {
        settings = new PollerSettings(Duration.ofMillis(300), 50, Duration.ofSeconds(60), Duration.ofMinutes(5), 0.2);
        simulator(Faults.none().withSlowResponses(1.0, Duration.ofSeconds(3)));
        simulator.tasks().createTask(Service.DDS, PROJECT, "Create_MongoDB");
        TargetPoller poller = poller(target(Service.DDS, simulator.endpoint(Service.DDS)));

        Duration next = poller.runCycle();

        assertThat(next).isEqualTo(Duration.ofMillis(500));
        assertThat(requests("dds", "timeout")).isEqualTo(1);
        assertThat(poller.health().lastOutcome()).isEqualTo(ResponseOutcome.TIMEOUT);
        assertThat(poller.health().lastError()).contains("Timed out after 300 ms");
        assertThat(sink.published).isEmpty();
    }

    @Test
    void shouldPublishTheSimulatorsTasksWhenNoFaultIsInjected() throws Exception {
        simulator(Faults.none());
        SimTask running = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "CreateCassandra");
        SimTask done = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "BackupInstance");
        simulator.tasks().complete(done.id());
        TargetPoller poller = poller(target(Service.GEMINIDB, simulator.endpoint(Service.GEMINIDB)));

        assertThat(poller.runCycle()).isEqualTo(PollerFixture.ACTIVE_INTERVAL);
        assertThat(sink.published).extracting(TaskSnapshot::getTaskId, TaskSnapshot::getStatus)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(running.id(), TaskStatus.RUNNING),
                        org.assertj.core.groups.Tuple.tuple(done.id(), TaskStatus.COMPLETED));
        assertThat(poller.known()).containsOnlyKeys(running.id());
    }

    @Test
    void shouldLogInAgainWhenARestartedTaskCenterNoLongerKnowsTheIamToken() throws Exception {
        SimulatorSettings settings = SimulatorSettings.defaults().scriptedOnly().withAcceptedTokens(
                java.util.Set.of("static-only")).withUsers(java.util.Map.of("svc", "pw"));
        simulator = Simulator.start(settings, clock, d -> { });
        int port = simulator.port();
        SimTask task = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "CreateCassandra");
        Target target = target(Service.GEMINIDB, simulator.endpoint(Service.GEMINIDB));
        dev.taskwatch.taskcenter.auth.Authenticator iam = dev.taskwatch.taskcenter.auth.Authenticators.create(
                new Credentials.Password("cred", "svc", "pw", "OTC-EU-DE", simulator.iamEndpoint().toString()),
                "eu-de", PROJECT, unirest, clock);
        TargetPoller poller = new TargetPoller(new PolledTarget(target, Dialects.of(Service.GEMINIDB), iam),
                this.settings, new TaskCenterHttp(unirest, this.settings.requestTimeout(), clock),
                new StatusCodeResponsePolicy(), sink,
                new WatchSet(List.of(target), registry), released::add, registry, clock, () -> 0.5);
        assertThat(poller.runCycle()).isEqualTo(PollerFixture.ACTIVE_INTERVAL);

        // the task center restarts on the same address and forgets every token it issued
        simulator.close();
        simulator = Simulator.start(settings.withPort(port), clock, d -> { });
        simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "RestartInstance");
        clock.advance(Duration.ofSeconds(5));
        Duration next = poller.runCycle();
        if (next != PollerFixture.ACTIVE_INTERVAL && poller.health().lastOutcome() == ResponseOutcome.CONNECTION) {
            // a pooled connection to the old server may fail once; the next cycle must then succeed
            clock.advance(next);
            next = poller.runCycle();
        }
        assertThat(next).as(String.valueOf(poller.health().lastError())).isEqualTo(PollerFixture.ACTIVE_INTERVAL);
        assertThat(requests("geminidb", "APIGW.0301")).as("one 401, then a fresh login").isEqualTo(1);
        assertThat(sink.published).extracting(TaskSnapshot::getTaskId).contains(task.id());
        assertThat(sink.published).hasSize(2);
    }

    /**
     * A front for the simulator: answers the next scripted status (with an OTC error body) while there are any, and
     * forwards every other request unchanged.
     */
    private URI front(Queue<Integer> statuses, URI upstream) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        front.createContext("/", exchange -> {
            try (exchange) {
                Integer status = statuses.poll();
                if (status != null) {
                    respond(exchange, status, "{\"error_code\":\"DBS.200000\",\"error_msg\":\"Internal error\"}");
                    return;
                }
                String rest = exchange.getRequestURI().getRawPath().substring("/front".length());
                String query = exchange.getRequestURI().getRawQuery();
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(upstream + rest
                        + (query == null ? "" : "?" + query)));
                String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
                if (token != null) {
                    forward.header("X-Auth-Token", token);
                }
                HttpResponse<String> answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofString());
                respond(exchange, answer.statusCode(), answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        front.start();
        return URI.create("http://127.0.0.1:" + front.getAddress().getPort() + "/front");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
