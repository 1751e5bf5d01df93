package dev.taskwatch.taskcenter.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.taskwatch.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IamPasswordAuthenticatorTest {

    private static final String PASSWORD = "S3cr3t-Pa55w0rd!";
    private static final String PROJECT = "0549b4a43100d4f32f51c01c2fe4acdb";
    private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
    private static final String TOKENS = "/v3/auth/tokens";
    private static final SignableRequest ANY = new SignableRequest("GET",
            URI.create("https://dds.eu-de.otc.t-systems.com/v3/" + PROJECT + "/jobs"), Map.of(), null);

    private WireMockServer iam;
    private UnirestInstance http;
    private ManualClock clock;
    private Credentials.Password credentials;

    @BeforeEach
    void start() {
        iam = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        iam.start();
        http = new UnirestInstance(new Config().connectTimeout(5_000).requestTimeout(5_000));
        clock = new ManualClock(T0);
        credentials = new Credentials.Password("prod", "svc-taskwatch", PASSWORD, "OTC-EU-DE-0000001",
                iam.baseUrl() + "/");
    }

    @AfterEach
    void stop() {
        http.close();
        iam.stop();
    }

    private IamPasswordAuthenticator authenticator() {
        return new IamPasswordAuthenticator(credentials, "eu-de", PROJECT, http, clock);
    }

    private void issue(String token, Instant expiresAt) {
        iam.stubFor(post(urlEqualTo(TOKENS)).willReturn(aResponse().withStatus(201)
                .withHeader("X-Subject-Token", token)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"token\": {\"expires_at\": \"" + expiresAt + "\", \"issued_at\": \"" + T0 + "\"}}")));
    }

    @Test
    void shouldLogInWithTheKeystonePasswordBodyScopedToTheProject() throws Exception {
        issue("token-1", T0.plus(Duration.ofHours(24)));

        assertThat(authenticator().authenticate(ANY)).isEqualTo(Map.of("X-Auth-Token", "token-1"));

        iam.verify(1, postRequestedFor(urlEqualTo(TOKENS))
                .withHeader("Content-Type", equalTo("application/json;charset=utf8"))
                .withRequestBody(equalToJson("""
                        {"auth": {
                           "identity": {"methods": ["password"],
                                        "password": {"user": {"name": "svc-taskwatch", "password": "S3cr3t-Pa55w0rd!",
                                                              "domain": {"name": "OTC-EU-DE-0000001"}}}},
                           "scope": {"project": {"id": "0549b4a43100d4f32f51c01c2fe4acdb"}}}}""")));
    }

    @Test
    void shouldCacheTheTokenUntilAnHourBeforeItExpires() throws Exception {
        issue("token-1", T0.plus(Duration.ofHours(24)));
        IamPasswordAuthenticator authenticator = authenticator();

        authenticator.authenticate(ANY);
        clock.set(T0.plus(Duration.ofHours(22)));
        authenticator.authenticate(ANY);
        clock.set(T0.plus(Duration.ofHours(23)).minusSeconds(1));
        assertThat(authenticator.authenticate(ANY)).containsEntry("X-Auth-Token", "token-1");

        iam.verify(1, postRequestedFor(urlEqualTo(TOKENS)));
        assertThat(authenticator.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
    }

    @Test
    void shouldRefreshBeforeExpiry() throws Exception {
        iam.stubFor(post(urlEqualTo(TOKENS)).inScenario("refresh").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "token-1")
                        .withBody("{\"token\": {\"expires_at\": \"2026-11-25T12:00:00.000000Z\"}}"))
                .willSetStateTo("second"));
        iam.stubFor(post(urlEqualTo(TOKENS)).inScenario("refresh").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "token-2")
                        .withBody("{\"token\": {\"expires_at\": \"2026-11-26T11:00:00.000000Z\"}}")));
        IamPasswordAuthenticator authenticator = authenticator();

        assertThat(authenticator.authenticate(ANY)).containsEntry("X-Auth-Token", "token-1");
        clock.set(Instant.parse("2026-11-25T11:00:00Z"));
        assertThat(authenticator.authenticate(ANY)).containsEntry("X-Auth-Token", "token-2");

        iam.verify(2, postRequestedFor(urlEqualTo(TOKENS)));
        assertThat(authenticator.expiresAt()).isEqualTo(Instant.parse("2026-11-26T11:00:00Z"));
    }

    @Test
    void shouldRefreshAfterInvalidate() throws Exception {
        iam.stubFor(post(urlEqualTo(TOKENS)).inScenario("401").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "token-1")
                        .withBody("{\"token\": {\"expires_at\": \"2026-11-25T12:00:00Z\"}}"))
                .willSetStateTo("second"));
        iam.stubFor(post(urlEqualTo(TOKENS)).inScenario("401").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "token-2")
                        .withBody("{\"token\": {\"expires_at\": \"2026-11-25T12:00:00Z\"}}")));
        IamPasswordAuthenticator authenticator = authenticator();

        assertThat(authenticator.authenticate(ANY)).containsEntry("X-Auth-Token", "token-1");
        authenticator.invalidate();
        assertThat(authenticator.expiresAt()).isNull();
        assertThat(authenticator.authenticate(ANY)).containsEntry("X-Auth-Token", "token-2");
        assertThat(authenticator.authenticate(ANY)).containsEntry("X-Auth-Token", "token-2");

        iam.verify(2, postRequestedFor(urlEqualTo(TOKENS)));
    }

    @Test
    void shouldRefreshHalfWayThroughAShortLivedToken() throws Exception {
        issue("short", T0.plus(Duration.ofMinutes(40)));
        IamPasswordAuthenticator authenticator = authenticator();

        authenticator.authenticate(ANY);
        clock.set(T0.plus(Duration.ofMinutes(19)));
        authenticator.authenticate(ANY);
        iam.verify(1, postRequestedFor(urlEqualTo(TOKENS)));
        clock.set(T0.plus(Duration.ofMinutes(20)));
        authenticator.authenticate(ANY);
        iam.verify(2, postRequestedFor(urlEqualTo(TOKENS)));
    }

    @Test
    void shouldAssumeTwentyFourHoursWhenTheBodyHasNoExpiry() throws Exception {
        iam.stubFor(post(urlEqualTo(TOKENS)).willReturn(aResponse().withStatus(201)
                .withHeader("X-Subject-Token", "token-1").withBody("{}")));
        IamPasswordAuthenticator authenticator = authenticator();

        authenticator.authenticate(ANY);

        assertThat(authenticator.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
    }

    @Test
    void shouldKeepUsingAValidCachedTokenWhenAnEarlyRefreshFails() throws Exception {
        iam.stubFor(post(urlEqualTo(TOKENS)).inScenario("outage").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "token-1")
                        .withBody("{\"token\": {\"expires_at\": \"2026-11-25T12:00:00Z\"}}"))
                .willSetStateTo("down"));
        iam.stubFor(post(urlEqualTo(TOKENS)).inScenario("outage").whenScenarioStateIs("down")
                .willReturn(aResponse().withStatus(503).withBody("{\"error_msg\": \"busy\"}")));
        IamPasswordAuthenticator authenticator = authenticator();
        authenticator.authenticate(ANY);

        clock.set(Instant.parse("2026-11-25T11:30:00Z"));
        assertThat(authenticator.authenticate(ANY)).containsEntry("X-Auth-Token", "token-1");

        clock.set(Instant.parse("2026-11-25T12:00:00Z"));
        assertThatThrownBy(() -> authenticator.authenticate(ANY)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("HTTP 503");
    }

    @Test
    void shouldExplainA401WithoutTheSecret() {
        iam.stubFor(post(urlEqualTo(TOKENS)).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\": {\"code\": 401, \"message\": \"The username or password is wrong.\", "
                        + "\"title\": \"Unauthorized\"}}")));

        assertThatThrownBy(() -> authenticator().authenticate(ANY))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("IAM rejected the password login of user 'svc-taskwatch' in domain 'OTC-EU-DE-0000001' "
                        + "(HTTP 401 from " + iam.baseUrl() + "/v3/auth/tokens: 401: The username or password is wrong.)")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(PASSWORD));
    }

    @Test
    void shouldNameTheProjectOnA403AndScrubAnEchoedPassword() {
        iam.stubFor(post(urlEqualTo(TOKENS)).willReturn(aResponse().withStatus(403)
                .withBody("{\"error_code\": \"IAM.0002\", \"error_msg\": \"no access with " + PASSWORD + "\"}")));

        assertThatThrownBy(() -> authenticator().authenticate(ANY))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageStartingWith("IAM refused user 'svc-taskwatch' in domain 'OTC-EU-DE-0000001' a token for "
                        + "project " + PROJECT)
                .hasMessageContaining("IAM.0002: no access with ****")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    }

    @Test
    void shouldReportAMissingSubjectToken() {
        iam.stubFor(post(urlEqualTo(TOKENS)).willReturn(aResponse().withStatus(201).withBody("{}")));

        assertThatThrownBy(() -> authenticator().authenticate(ANY))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("without an X-Subject-Token header");
    }

    @Test
    void shouldReportAnUnreachableIamWithoutTheSecret() {
        iam.stop();

        assertThatThrownBy(() -> authenticator().authenticate(ANY))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageStartingWith("IAM at " + credentials.iamEndpoint() + "v3/auth/tokens could not be reached "
                        + "for the login of user 'svc-taskwatch' in domain 'OTC-EU-DE-0000001'")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(PASSWORD));
    }

    @Test
    void shouldNeverShowSecretsInDescriptionsOrToString() throws Exception {
        issue("token-value-123", T0.plus(Duration.ofHours(24)));
        IamPasswordAuthenticator authenticator = authenticator();
        authenticator.authenticate(ANY);

        for (String text : new String[] {authenticator.describe(), authenticator.toString(), credentials.toString()}) {
            assertThat(text).doesNotContain(PASSWORD).doesNotContain("token-value-123");
        }
        assertThat(authenticator.describe()).isEqualTo("password credential 'prod' (user svc-taskwatch, domain "
                + "OTC-EU-DE-0000001, project " + PROJECT + ")");
    }

    @Test
    void shouldDeriveTheTokenUrl() {
        assertThat(IamPasswordAuthenticator.tokenUrl(null, "eu-de"))
                .isEqualTo("https://iam.eu-de.otc.t-systems.com/v3/auth/tokens");
        assertThat(IamPasswordAuthenticator.tokenUrl("https://iam.eu-nl.otc.t-systems.com/v3/", "eu-de"))
                .isEqualTo("https://iam.eu-nl.otc.t-systems.com/v3/auth/tokens");
        assertThat(IamPasswordAuthenticator.tokenUrl("http://127.0.0.1:9000/iam", "eu-de"))
                .isEqualTo("http://127.0.0.1:9000/iam/v3/auth/tokens");
    }

    @Test
    void shouldRejectIncompleteCredentialsNamingTheKey() {
        assertThatThrownBy(() -> new IamPasswordAuthenticator(
                new Credentials.Password("prod", "u", "", "d", null), "eu-de", PROJECT, http, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("credentials.prod.password is empty");
        assertThatThrownBy(() -> new IamPasswordAuthenticator(
                new Credentials.Password("prod", "u", "p", " ", null), "eu-de", PROJECT, http, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("credentials.prod.domain is empty");
    }}
