package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import dev.taskwatch.taskcenter.auth.StaticTokenAuthenticator;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One bad task does not stall its target: the real DDS dialect on scripted list pages (page size 2) where one element
 * is broken. The good tasks are published, the bad one is counted and dead-lettered, the next page is still read at
 * an offset that counts the bad element, and a known running task that turns unreadable stays known.
 */
class RejectedTaskPollingTest {

    private static final String PROJECT = "p";

    private final ManualClock clock = new ManualClock(PollerFixture.T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemorySnapshotSink sink = new InMemorySnapshotSink();
    private final UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(2_000));
    /** Body per offset query value ("" for the first page, which DDS asks without an offset). */
    private final Map<String, String> pages = new ConcurrentHashMap<>();
    private final List<String> offsetsAsked = new CopyOnWriteArrayList<>();
    private final List<String> runningOffsetsAsked = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private Target target;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v3/" + PROJECT + "/jobs", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            String offset = query.contains("offset=") ? query.replaceAll(".*offset=(\\d+).*", "$1") : "";
            // this server ignores the status filter, as a careless one could: the poller must cope
            (query.contains("status=Running") ? runningOffsetsAsked : offsetsAsked).add(offset);
            byte[] body = pages.getOrDefault(offset, "{\"jobs\": []}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        target = new Target("dds/eu-de/p", Service.DDS, "eu-de", PROJECT,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "cred", PollerFixture.INTERVAL,
                PollerFixture.ACTIVE_INTERVAL, Duration.ofDays(1));
    }

    @AfterEach
    void stop() {
        server.stop(0);
        unirest.close();
    }

    private TargetPoller poller() {
        PollerSettings settings = PollerSettings.defaults();
        return new TargetPoller(new PolledTarget(target, Dialects.of(Service.DDS),
                new StaticTokenAuthenticator(new Credentials.StaticToken("cred", "token")), 2), settings,
                new TaskCenterHttp(unirest, settings.requestTimeout(), clock), new StatusCodeResponsePolicy(), sink,
                new WatchSet(List.of(), registry), key -> { }, registry, clock, () -> 0.5);
    }

    private static String job(String id, String status) {
        return "{\"id\": \"" + id + "\", \"name\": \"Resize\", \"status\": \"" + status
                + "\", \"created_at\": \"2026-11-20T11:00:00+0000\", \"progress\": \"10%\"}";
    }

    private static final String BROKEN = "{\"id\": \"b\", \"name\": \"Resize\", \"status\": \"Running\", "
            + "\"created_at\": \"2026-11-20T11:00:00+0000\", \"progress\": \"lots\"}";

    private double rejected() {
        Counter c = registry.find("taskwatch.poller.rejected").tag("target", target.name()).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void shouldPublishTheGoodTasksDeadLetterTheBadOneAndStillReadTheNextPage() throws Exception {
        pages.put("", "{\"jobs\": [" + job("a", "Running") + ", " + BROKEN + "]}");
        pages.put("2", "{\"jobs\": [" + job("c", "Completed") + "]}");
        TargetPoller poller = poller();

        poller.runCycle();

        assertThat(sink.published).extracting(TaskSnapshot::getTaskId).containsExactly("a", "c");
        // "1": the DDS offset probe (this scripted server answers it with nothing: undecided, items assumed)
        assertThat(offsetsAsked).as("the bad element holds its place in the paging").containsExactly("", "1", "2");
        assertThat(sink.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.target()).isEqualTo("dds/eu-de/p");
            assertThat(d.source()).isEqualTo(target.endpoint() + "/v3/p/jobs");
            assertThat(d.reject().taskId()).isEqualTo("b");
            assertThat(d.reject().reason()).isEqualTo("jobs[1].progress: progress 'lots' is not a percentage");
            assertThat(d.reject().excerpt()).isEqualTo(BROKEN);
        });
        assertThat(rejected()).isEqualTo(1);
        assertThat(poller.health().lastError()).as("the cycle succeeded").isNull();
        assertThat(poller.health().cycleCompleted()).isTrue();
    }

    @Test
    void shouldDeadLetterAnUnchangedBadElementOnlyOnce() throws Exception {
        pages.put("", "{\"jobs\": [" + job("a", "Running") + ", " + BROKEN + "]}");
        TargetPoller poller = poller();

        poller.runCycle();
        poller.runCycle();

        assertThat(sink.deadLetters).hasSize(1);
        assertThat(rejected()).isEqualTo(1);
        assertThat(sink.published).as("a is unchanged: published once").extracting(TaskSnapshot::getTaskId)
                .containsExactly("a");
    }

    @Test
    void shouldKeepAKnownRunningTaskKnownWhileItIsUnreadable() throws Exception {
        pages.put("", "{\"jobs\": [" + job("a", "Running") + ", " + job("b", "Running") + "]}");
        pages.put("2", "{\"jobs\": []}");
        TargetPoller poller = poller();
        poller.runCycle();
        assertThat(poller.known()).containsOnlyKeys("a", "b");

        pages.put("", "{\"jobs\": [" + job("a", "Running") + ", " + BROKEN + "]}");
        poller.runCycle();

        assertThat(poller.known()).as("b is still there, only unreadable: its terminal state must not be lost")
                .containsOnlyKeys("a", "b");
        pages.put("", "{\"jobs\": [" + job("a", "Running") + ", " + job("b", "Completed") + "]}");
        poller.runCycle();
        assertThat(sink.published).extracting(s -> s.getTaskId() + ":" + s.getStatus()).endsWith("b:COMPLETED");
        assertThat(poller.known()).containsOnlyKeys("a");
    }

    @Test
    void shouldRetryTheCycleWhenTheDeadLetterCannotBeWritten() throws Exception {
        pages.put("", "{\"jobs\": [" + job("a", "Running") + ", " + BROKEN + "]}");
        TargetPoller poller = poller();
        // the snapshots are published, the dead letter fails once: the cycle fails and is retried whole
        sink.unavailableAfterPublish = 1;

        poller.runCycle();
        assertThat(poller.health().lastError())
                .contains("Could not dead-letter unreadable tasks of target dds/eu-de/p");
        assertThat(rejected()).isZero();

        poller.runCycle();
        assertThat(sink.deadLetters).hasSize(1);
        assertThat(rejected()).isEqualTo(1);
    }
}
