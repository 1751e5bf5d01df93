package dev.taskwatch.devkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.poller.ApiResponse;
import dev.taskwatch.poller.TaskCenterHttp;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TimeWindow;
import dev.taskwatch.taskcenter.auth.AuthenticationException;
import dev.taskwatch.taskcenter.auth.Authenticator;
import dev.taskwatch.taskcenter.auth.Authenticators;
import dev.taskwatch.taskcenter.auth.Credentials;
import dev.taskwatch.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our authenticators, through the poller's HTTP layer (Unirest, the exact URL and headers the poller sends), against
 * the simulator's checks: static token, IAM password login at the simulated IAM endpoint, and AK/SK signatures that
 * the simulator verifies in full.
 */
class SimulatorAuthenticationTest {

    static final String PROJECT = SimulatorSettings.DEFAULT_PROJECT;
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    final ManualClock clock = new ManualClock(START);
    final UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(5_000));
    final TaskCenterHttp http = new TaskCenterHttp(unirest, Duration.ofSeconds(10), clock);
    Simulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
        unirest.close();
    }

    private Target target(Service service) {
        return new Target(service.id(), service, "eu-de", PROJECT, simulator.endpoint(service), "cred",
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofDays(7));
    }

    /** A request of each kind of the service: list (with a window whose offsets carry '+') or get-by-id. */
    private ApiRequest request(Service service) {
        var dialect = Dialects.of(service);
        if (dialect.listing().isPresent()) {
            var listing = dialect.listing().get();
            return listing.listRequest(target(service), new TimeWindow(START.minus(Duration.ofDays(3)),
                    START.plusSeconds(60)), 0, listing.pageSize(10));
        }
        return dialect.getById().orElseThrow().getRequest(target(service),
                simulator.tasks().createTask(service, PROJECT, "BindEIP").id());
    }

    private ApiResponse call(Service service, Authenticator authenticator) throws Exception {
        return http.execute(target(service), request(service), authenticator);
    }

    private Authenticator authenticator(Credentials credentials) {
        return Authenticators.create(credentials, "eu-de", PROJECT, unirest, clock);
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void shouldAcceptTheConfiguredStaticTokenAndRejectAWrongOne(Service service) throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withNotFoundGrace(Duration.ZERO)
                .withAcceptedTokens(Set.of("the-token")), clock, d -> {});

        ApiResponse good = call(service, authenticator(new Credentials.StaticToken("t", "the-token")));
        assertThat(good.status()).as(good.body()).isEqualTo(200);

        ApiResponse wrong = call(service, authenticator(new Credentials.StaticToken("t", "not-the-token")));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.apiErrorCode()).isEqualTo("APIGW.0301");
        assertThat(wrong.body()).doesNotContain("not-the-token");
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void shouldLogInAtTheSimulatedIamAndUseTheTokenForRequests(Service service) throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withNotFoundGrace(Duration.ZERO)
                .withAcceptedTokens(Set.of("only-static")).withUsers(Map.of("svc-taskwatch", "pa55word")), clock,
                d -> {});
        Authenticator iam = authenticator(new Credentials.Password("p", "svc-taskwatch", "pa55word", "OTC-EU-DE",
                simulator.iamEndpoint().toString()));

        ApiResponse response = call(service, iam);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void shouldKeepUsingAndThenRenewTheIamTokenAcrossItsTwentyFourHours() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withAcceptedTokens(Set.of("only-static")).withUsers(Map.of("svc", "pw")), clock, d -> {});
        Authenticator iam = authenticator(new Credentials.Password("p", "svc", "pw", "OTC-EU-DE",
                simulator.iamEndpoint().toString()));

        assertThat(call(Service.GEMINIDB, iam).status()).isEqualTo(200);
        clock.advance(Duration.ofHours(23).plusMinutes(30));
        assertThat(call(Service.GEMINIDB, iam).status()).as("still within the token's life").isEqualTo(200);
        clock.advance(Duration.ofMinutes(31));
        ApiResponse afterExpiry = call(Service.GEMINIDB, iam);
        assertThat(afterExpiry.status()).as("renewed, not sent expired: " + afterExpiry.body()).isEqualTo(200);
    }

    @Test
    void shouldFailTheIamLoginWithAWrongPasswordWithoutLeakingIt() {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withUsers(Map.of("svc-taskwatch", "pa55word")), clock, d -> {});
        Authenticator iam = authenticator(new Credentials.Password("p", "svc-taskwatch", "wrong-pa55word",
                "OTC-EU-DE", simulator.iamEndpoint().toString()));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> call(Service.DDS, iam))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("401")
                .hasMessageNotContaining("wrong-pa55word");
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void shouldAcceptRequestsSignedByOurAkSkSignerUnderFullVerification(Service service) throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withNotFoundGrace(Duration.ZERO)
                .withAccessKeys(Map.of("AKTASKWATCH0001", "s3cr3t/Key+with=odd*chars~")), clock, d -> {});

        ApiResponse signed = call(service, authenticator(new Credentials.AkSk("k", "AKTASKWATCH0001",
                "s3cr3t/Key+with=odd*chars~", null)));
        assertThat(signed.status()).as(signed.body()).isEqualTo(200);

        ApiResponse temporary = call(service, authenticator(new Credentials.AkSk("k", "AKTASKWATCH0001",
                "s3cr3t/Key+with=odd*chars~", "security-token-value")));
        assertThat(temporary.status()).as("X-Security-Token is signed too: " + temporary.body()).isEqualTo(200);

        ApiResponse wrongSecret = call(service, authenticator(new Credentials.AkSk("k", "AKTASKWATCH0001",
                "another-secret", null)));
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.body()).contains("signature does not match").doesNotContain("another-secret");

        ApiResponse unknownKey = call(service, authenticator(new Credentials.AkSk("k", "AKSOMEONEELSE",
                "s3cr3t/Key+with=odd*chars~", null)));
        assertThat(unknownKey.status()).isEqualTo(401);
    }

    @Test
    void shouldRejectASignatureMadeMoreThanFifteenMinutesAgo() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withAccessKeys(Map.of("AK1", "SK1")), clock, d -> {});
        ManualClock late = new ManualClock(START.minus(Duration.ofMinutes(16)));
        Authenticator stale = Authenticators.create(new Credentials.AkSk("k", "AK1", "SK1", null), "eu-de", PROJECT,
                unirest, late);

        ApiResponse response = call(Service.GEMINIDB, stale);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).contains("15 minutes");
    }

    /**
     * Requests not built by TaskCenterHttp: a '+' left unencoded in the query (Huawei's signer form-decodes it to a
     * space) and a signed {@code X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD}. The simulator's verifier used to read the
     * raw '+' as a plus and to ignore the content hash header, rejecting both.
     */
    @Test
    void shouldVerifyWhatOurSignerSignsForARawPlusAndAnUnsignedPayload() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withAccessKeys(Map.of("AK1", "SK1")), clock, d -> {});
        dev.taskwatch.taskcenter.auth.AkSkSigner signer = new dev.taskwatch.taskcenter.auth.AkSkSigner("AK1", "SK1");
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.URI uri = java.net.URI.create(simulator.endpoint(Service.DDS) + "/v3/" + PROJECT
                + "/jobs?start_time=2026-02-27T10:00:00+0000&end_time=2026-03-01T10:00:00+0000&limit=10");
        for (Map<String, String> extra : java.util.List.of(Map.<String, String>of(),
                Map.of("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"))) {
            Map<String, String> headers = new java.util.LinkedHashMap<>(extra);
            headers.putAll(signer.sign(new dev.taskwatch.taskcenter.auth.SignableRequest("GET", uri, extra,
                    new byte[0]), clock.instant()));
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(uri);
            headers.forEach(request::header);
            java.net.http.HttpResponse<String> response = client.send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(extra + ": " + response.body()).isEqualTo(200);
        }
    }
}
