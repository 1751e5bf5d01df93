package dev.taskwatch.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.config.NotifyConfig.NotifyRule;
import dev.taskwatch.config.NotifyConfig.Retry;
import dev.taskwatch.config.NotifyConfig.Webhook;
import dev.taskwatch.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One event to one webhook against a WireMock receiver: headers, signature, retries, limits. */
class DeliveryTest {

    private final WireMockServer receiver = new WireMockServer(wireMockConfig().dynamicPort());
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final List<Duration> sleeps = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private NotifyRule rule;
    private Delivery delivery;
    private final byte[] body = TaskCloudEvents.json(RuleMatcherTest.event(TaskEventType.COMPLETED, "t-1",
            "CreateInstance", "db1", false));

    @BeforeEach
    void start() {
        receiver.start();
        rule = TestRules.withRetry(TestRules.to("ops", "http://localhost:" + receiver.port() + "/hook"),
                new Retry(4, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(8)));
        delivery = new Delivery(new WebhookSender(), clock, d -> {
            sleeps.add(d);
            clock.advance(d);
        }, () -> 0.5, new NotifyMetrics(meters, List.of(rule)));
    }

    @AfterEach
    void stop() {
        receiver.stop();
    }

    @Test
    void shouldPostAStructuredCloudEventWithIdempotencyKeyExtraHeadersAndAVerifiableSignature() throws Exception {
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
        rule = TestRules.withWebhook(rule, new Webhook(rule.webhook().url(), Map.of("X-Team", "dba"),
                rule.webhook().timeout(), "shared-secret"));

        Delivery.Result result = delivery.deliver(rule, "evt-1", body);

        assertThat(result.delivered()).isTrue();
        LoggedRequest request = receiver.findAll(postRequestedFor(urlEqualTo("/hook"))).get(0);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/cloudevents+json");
        assertThat(request.getHeader("Idempotency-Key")).isEqualTo("evt-1");
        assertThat(request.getHeader("X-Team")).isEqualTo("dba");
        // what a receiver does: HMAC-SHA256 of the raw body under the shared secret, hex, "sha256=" prefix
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("shared-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(request.getBody()));
        String signature = request.getHeader("X-Taskwatch-Signature");
        assertThat(MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(request.getBody()).isEqualTo(body);
    }

    @Test
    void shouldSendNoSignatureWithoutASecret() throws Exception {
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        delivery.deliver(rule, "evt-1", body);
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/hook"))).get(0)
                .containsHeader("X-Taskwatch-Signature")).isFalse();
    }

    @Test
    void shouldRetryA500WithTheSameIdempotencyKeyAndGrowingBackoffUntilDelivered() throws Exception {
        receiver.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("second"));
        receiver.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        receiver.stubFor(post(urlEqualTo("/hook")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));

        Delivery.Result result = delivery.deliver(rule, "evt-2", body);

        assertThat(result).isEqualTo(new Delivery.Result(true, 3, null));
        receiver.verify(3, postRequestedFor(urlEqualTo("/hook")).withHeader("Idempotency-Key", equalTo("evt-2")));
        assertThat(sleeps).containsExactly(Duration.ofMillis(750), Duration.ofMillis(1500));
        assertThat(meters.get(NotifyMetrics.RETRIED).tag("rule", "ops").counter().count()).isEqualTo(2);
    }

    @Test
    void shouldRetryATimedOutCall() throws Exception {
        receiver.stubFor(post(urlEqualTo("/hook")).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withFixedDelay(2_000)).willSetStateTo("fast"));
        receiver.stubFor(post(urlEqualTo("/hook")).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(aResponse().withStatus(200)));
        rule = TestRules.withWebhook(rule, new Webhook(rule.webhook().url(), Map.of(), Duration.ofMillis(300), null));

        Delivery.Result result = delivery.deliver(rule, "evt-3", body);

        assertThat(result.delivered()).isTrue();
        assertThat(result.attempts()).isEqualTo(2);
    }

    @Test
    void shouldGiveUpAfterMaxAttemptsWithTheLastReason() throws Exception {
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(502)));

        Delivery.Result result = delivery.deliver(rule, "evt-4", body);

        assertThat(result.delivered()).isFalse();
        assertThat(result.attempts()).isEqualTo(4);
        assertThat(result.reason()).isEqualTo("gave up after 4 attempts (retry.max-attempts): HTTP 502");
        receiver.verify(4, postRequestedFor(urlEqualTo("/hook")));
    }

    @Test
    void shouldGiveUpWhenTheNextWaitWouldPassMaxDuration() throws Exception {
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(500)));
        rule = TestRules.withRetry(rule, new Retry(100, Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(8)));

        Delivery.Result result = delivery.deliver(rule, "evt-5", body);

        // waits 0.75 + 1.5 = 2.25 s; the next 3 s wait would end at 5.25 s > 5 s
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(result.reason()).startsWith("gave up after 3 attempts in 2250 ms (retry.max-duration)");
    }

    @Test
    void shouldDeadLetterAClientErrorAtOnce() throws Exception {
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(401)));

        Delivery.Result result = delivery.deliver(rule, "evt-6", body);

        assertThat(result).isEqualTo(new Delivery.Result(false, 1, "rejected by receiver: HTTP 401"));
    }

    @Test
    void shouldRetryWhileTheReceiverIsDown() throws Exception {
        int port = receiver.port();
        receiver.stop();
        WireMockServer restarted = new WireMockServer(wireMockConfig().port(port));
        try {
            Delivery.Result result = new Delivery(new WebhookSender(), clock, d -> {
                clock.advance(d);
                if (!restarted.isRunning()) {
                    restarted.start(); // comes back on the same port during the first backoff
                    restarted.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
                }
            }, () -> 0.5, new NotifyMetrics(meters, List.of(rule))).deliver(rule, "evt-7", body);
            assertThat(result.delivered()).isTrue();
            assertThat(result.attempts()).isEqualTo(2);
            restarted.verify(1, postRequestedFor(urlEqualTo("/hook")).withHeader("Idempotency-Key", equalTo("evt-7")));
        } finally {
            restarted.stop();
        }
    }
}
