package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.taskwatch.http.HttpClientSettings;
import dev.taskwatch.http.OutboundHttp;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.AkSkAuthenticator;
import dev.taskwatch.taskcenter.auth.Authenticator;
import dev.taskwatch.taskcenter.auth.Credentials;
import dev.taskwatch.taskcenter.auth.StaticTokenAuthenticator;
import dev.taskwatch.testing.HostileTaskCenter;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TaskCenterHttp} with the production client ({@link OutboundHttp}) against a {@link HostileTaskCenter}:
 * redirects to another origin, dripping and flooding bodies, refused connections, random error codes.
 */
class HostileTaskCenterHttpTest {

    static final String TOKEN = "tok-SECRET-0123456789";
    static final String SK = "sk-SECRET-abcdefghij";
    static final String SECURITY_TOKEN = "sts-SECRET-zyxwvu";

    final HostileTaskCenter center = newCenter();
    final HostileTaskCenter elsewhere = newCenter();
    final UnirestInstance unirest = OutboundHttp.create(HttpClientSettings.defaults());
    final Clock clock = Clock.systemUTC();
    final ApiRequest list = new ApiRequest("GET", "/v3/p1/jobs", Map.of("limit", "50"));

    @AfterEach
    void close() throws Exception {
        unirest.close();
        center.close();
        elsewhere.close();
    }

    static HostileTaskCenter newCenter() {
        try {
            return new HostileTaskCenter();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Target target(URI endpoint) {
        return new Target("hostile", Service.GEMINIDB, "eu-de", "p1", endpoint, "cred", Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofDays(1));
    }

    TaskCenterHttp http(Duration timeout) {
        return new TaskCenterHttp(unirest, timeout, clock);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void shouldNeverSendTheTokenToTheOriginARedirectNames(int status) {
        center.answer(HostileTaskCenter.redirect(status, URI.create(elsewhere.uri() + "/steal?x=1")));
        Authenticator token = new StaticTokenAuthenticator(new Credentials.StaticToken("cred", TOKEN));

        assertThatThrownBy(() -> http(Duration.ofSeconds(5)).execute(target(center.uri()), list, token))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.label()).isEqualTo("redirect");
                    assertThat(e.backsOff()).isFalse();
                })
                .hasMessageContaining("hostile").hasMessageContaining("HTTP " + status)
                .hasMessageContaining("redirecting to " + elsewhere.uri().getHost())
                .message().doesNotContain(TOKEN).doesNotContain("steal");
        assertThat(center.requests()).hasSize(1);
        assertThat(center.requests().get(0).header("X-Auth-Token")).isEqualTo(TOKEN);
        assertThat(elsewhere.requests()).as("the other origin receives nothing").isEmpty();
    }

    @Test
    void shouldNeverSendAkSkSignatureNorSecurityTokenToTheOriginARedirectNames() {
        center.answer(HostileTaskCenter.redirect(307, elsewhere.uri()));
        Authenticator akSk = new AkSkAuthenticator(new Credentials.AkSk("cred", "AKID0001", SK, SECURITY_TOKEN),
                clock);

        assertThatThrownBy(() -> http(Duration.ofSeconds(5)).execute(target(center.uri()), list, akSk))
                .isInstanceOf(TransportException.class)
                .message().doesNotContain(SK).doesNotContain(SECURITY_TOKEN).doesNotContain("AKID0001");
        assertThat(center.requests().get(0).header("Authorization")).contains("AKID0001");
        assertThat(elsewhere.requests()).as("the other origin receives nothing").isEmpty();
    }

    @Test
    void shouldBoundTheWholeExchangeWhenTheBodyDrips() {
        // 40 bytes at one per 250 ms take 10 s; the timeout is 1 s
        center.answer(HostileTaskCenter.drip("{\"jobs\":[],\"total_count\":0,\"pad\":\"xxx\"}",
                Duration.ofMillis(250)));
        Authenticator token = new StaticTokenAuthenticator(new Credentials.StaticToken("cred", TOKEN));

        // a hang guard, not a timing assertion: without the bound this call takes the whole drip
        TransportException e = assertTimeoutPreemptively(Duration.ofSeconds(8), () -> {
            try {
                http(Duration.ofSeconds(1)).execute(target(center.uri()), list, token);
                throw new AssertionError("a dripping body must not be accepted");
            } catch (TransportException expected) {
                return expected;
            }
        });
        assertThat(e.outcome()).isEqualTo(ResponseOutcome.TIMEOUT);
        assertThat(e).hasMessageContaining("Timed out after 1000 ms reading the body from target hostile");
    }

    @Test
    void shouldRejectABodyLargerThanTheCapAsMalformedWithoutReadingItAll() {
        long fifty = 50L * 1024 * 1024;
        center.answer(HostileTaskCenter.flood(fifty));
        TaskCenterHttp capped = new TaskCenterHttp(unirest, Duration.ofSeconds(20), 64 * 1024, clock);
        Authenticator token = new StaticTokenAuthenticator(new Credentials.StaticToken("cred", TOKEN));

        assertThatThrownBy(() -> capped.execute(target(center.uri()), list, token))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.label()).isEqualTo("malformed");
                    assertThat(e.outcome()).isNull();
                    long read = Long.parseLong(e.getMessage().replaceAll(".*abandoned after (\\d+) bytes.*", "$1"));
                    assertThat(read).as("bytes read before giving up").isLessThan(fifty / 10);
                })
                .hasMessageContaining("poller.max-response-size (65536 bytes)");
    }

    @Test
    void shouldAcceptABodyUpToTheCap() throws Exception {
        String body = "{\"jobs\":[],\"total_count\":0}";
        center.answer(HostileTaskCenter.json(200, body));
        TaskCenterHttp capped = new TaskCenterHttp(unirest, Duration.ofSeconds(5), body.length(), clock);

        ApiResponse response = capped.execute(target(center.uri()), list,
                new StaticTokenAuthenticator(new Credentials.StaticToken("cred", TOKEN)));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void shouldReportAnUnreachableTargetAsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI nobody = URI.create("http://127.0.0.1:" + port);

        assertThatThrownBy(() -> http(Duration.ofSeconds(5)).execute(target(nobody), list,
                new StaticTokenAuthenticator(new Credentials.StaticToken("cred", TOKEN))))
                .isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.outcome()).isEqualTo(ResponseOutcome.CONNECTION))
                .hasMessageContaining("connection refused")
                .message().doesNotContain("ClosedChannelException");
    }

    @Test
    void shouldQuoteTheBodyOnceInTheMalformedAnswerWarning() throws Exception {
        center.answer(HostileTaskCenter.json(200, "{\"jobs\":[{\"id\":\"j1\",\"status\":"));
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(TaskCenterCall.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try {
            targetPoller(new SimpleMeterRegistry(), new ManualClock(PollerFixture.T0)).runCycle();
        } finally {
            log.detachAppender(appender);
        }

        List<String> warnings = appender.list.stream().map(e -> e.getFormattedMessage())
                .filter(m -> m.contains("malformed response")).toList();
        assertThat(warnings).singleElement().satisfies(w -> {
            assertThat(w.split("body starts:", -1)).as("one excerpt in: " + w).hasSize(2);
            assertThat(w).contains("j1");
        });
    }

    TargetPoller targetPoller(SimpleMeterRegistry registry, ManualClock manual) {
        Target target = target(center.uri());
        List<dev.taskwatch.avro.TaskKey> released = new CopyOnWriteArrayList<>();
        return new TargetPoller(new PolledTarget(target, Dialects.of(target.service()),
                new StaticTokenAuthenticator(new Credentials.StaticToken("cred", TOKEN))),
                new PollerSettings(Duration.ofSeconds(5), 50, Duration.ofSeconds(60), Duration.ofMinutes(5), 0.2),
                new TaskCenterHttp(unirest, Duration.ofSeconds(5), manual), new StatusCodeResponsePolicy(),
                new InMemorySnapshotSink(), new WatchSet(List.of(target), registry), released::add, registry, manual, () -> 0.5);
    }

    @Test
    void shouldTagRequestMetricsFromABoundedSetWhateverCodesTheServerInvents() throws Exception {
        center.answer(HostileTaskCenter.randomErrors(42));
        ManualClock manual = new ManualClock(PollerFixture.T0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Target target = target(center.uri());
        List<dev.taskwatch.avro.TaskKey> released = new CopyOnWriteArrayList<>();
        TargetPoller poller = new TargetPoller(new PolledTarget(target, Dialects.of(target.service()),
                new StaticTokenAuthenticator(new Credentials.StaticToken("cred", TOKEN))),
                new PollerSettings(Duration.ofSeconds(5), 50, Duration.ofSeconds(60), Duration.ofMinutes(5), 0.2),
                new TaskCenterHttp(unirest, Duration.ofSeconds(5), manual), new StatusCodeResponsePolicy(),
                new InMemorySnapshotSink(), new WatchSet(List.of(target), registry), released::add, registry, manual, () -> 0.5);

        for (int i = 0; i < 60; i++) {
            poller.runCycle();
        }

        Set<String> outcomes = registry.find("taskwatch.poller.requests").meters().stream()
                .map(m -> m.getId().getTag("outcome")).collect(Collectors.toSet());
        assertThat(center.requests()).hasSizeGreaterThanOrEqualTo(60);
        assertThat(outcomes).as("no label from the server's invented codes").noneMatch(o -> o.startsWith("RND."))
                .isSubsetOf("400", "404", "409", "4xx_other", "500", "502", "503", "504");
        assertThat(poller.health().lastError()).as("the raw code still reaches the log").contains("RND.");
        assertThat(registry.getMeters().stream().map(Meter::getId).filter(id -> id.getName()
                .equals("taskwatch.poller.requests")).count()).isLessThanOrEqualTo(8);
    }
}
