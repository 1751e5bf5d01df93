package dev.taskwatch.serde;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.taskwatch.avro.TaskKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    private static final String CT = "application/vnd.schemaregistry.v1+json";
    private static final String PASSWORD = "pa55w0rd-do-not-leak";
    private static final String TOKEN = "t0ken-do-not-leak";
    private static final String URL_PASSWORD = "urlpa55-do-not-leak";
    private static final Schema SCHEMA = TaskKey.getClassSchema();
    private static final String SCHEMA_JSON_BODY = new ObjectMapper().createObjectNode()
            .put("schema", SCHEMA.toString()).toString();

    private WireMockServer wm;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() {
        wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private String url() {
        return "http://127.0.0.1:" + wm.port();
    }

    private RestSchemaRegistryClient client(Object... keyValues) {
        Map<String, Object> c = new HashMap<>();
        c.put("schema.registry.url", url());
        c.put("schema.registry.request.timeout.ms", 2000);
        for (int i = 0; i < keyValues.length; i += 2) {
            c.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new RestSchemaRegistryClient(new AvroSerdeConfig(c), sleeps::add);
    }

    private static String error(int code, String message) {
        return "{\"error_code\":" + code + ",\"message\":\"" + message + "\"}";
    }

    @Test
    void shouldRegisterWithConfluentsPathAndBody() {
        wm.stubFor(post("/subjects/s-value/versions").willReturn(okJson("{\"id\":17}")));

        assertThat(client().register("s-value", SCHEMA)).isEqualTo(17);

        wm.verify(postRequestedFor(urlEqualTo("/subjects/s-value/versions"))
                .withHeader("Content-Type", equalTo(CT)).withHeader("Accept", equalTo(CT))
                .withRequestBody(equalToJson(SCHEMA_JSON_BODY)));
    }

    @Test
    void shouldEncodeSubjectsInPaths() {
        wm.stubFor(post(urlEqualTo("/subjects/a%20b%2Fc/versions")).willReturn(okJson("{\"id\":1}")));
        assertThat(client().register("a b/c", SCHEMA)).isEqualTo(1);
    }

    @Test
    void shouldFetchASchemaById() {
        wm.stubFor(get("/schemas/ids/5").willReturn(okJson(SCHEMA_JSON_BODY)));
        assertThat(client().getById(5)).isEqualTo(SCHEMA);
    }

    @Test
    void shouldLookUpASchemaUnderASubject() {
        wm.stubFor(post("/subjects/s-key").willReturn(okJson(
                "{\"subject\":\"s-key\",\"id\":9,\"version\":3,\"schema\":" + quoted(SCHEMA.toString()) + "}")));

        assertThat(client().lookup("s-key", SCHEMA)).contains(new RegisteredSchema("s-key", 9, 3, SCHEMA));
        wm.verify(postRequestedFor(urlEqualTo("/subjects/s-key")).withRequestBody(equalToJson(SCHEMA_JSON_BODY)));
    }

    @Test
    void shouldAnswerEmptyWhenTheLookupIsNotFound() {
        wm.stubFor(post("/subjects/s-key").willReturn(aResponse().withStatus(404).withBody(error(40403,
                "Schema not found"))));
        wm.stubFor(post("/subjects/nosuch").willReturn(aResponse().withStatus(404).withBody(error(40401,
                "Subject 'nosuch' not found."))));

        assertThat(client().lookup("s-key", SCHEMA)).isEmpty();
        assertThat(client().lookup("nosuch", SCHEMA)).isEmpty();
    }

    @Test
    void shouldNotMistakeA404WithoutRegistryErrorForAMissingSchema() {
        wm.stubFor(post("/subjects/s-key").willReturn(aResponse().withStatus(404).withBody("<html>Not Found</html>")));

        Throwable t = catchThrowable(() -> client().lookup("s-key", SCHEMA));

        assertThat(t).isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 404").hasMessageContaining("API root");
    }

    @Test
    void shouldReadTheLatestVersion() {
        wm.stubFor(get("/subjects/s-key/versions/latest").willReturn(okJson(
                "{\"subject\":\"s-key\",\"id\":9,\"version\":3,\"schema\":" + quoted(SCHEMA.toString()) + "}")));
        assertThat(client().latest("s-key")).isEqualTo(new RegisteredSchema("s-key", 9, 3, SCHEMA));
    }

    @Test
    void shouldTestCompatibilityVerbosely() {
        wm.stubFor(post(urlPathEqualTo("/compatibility/subjects/s-key/versions/latest")).willReturn(okJson(
                "{\"is_compatible\":false,\"messages\":[\"READER_FIELD_MISSING_DEFAULT_VALUE b\"]}")));

        CompatibilityResult result = client().testCompatibility("s-key", SCHEMA);

        assertThat(result.compatible()).isFalse();
        assertThat(result.messages()).containsExactly("READER_FIELD_MISSING_DEFAULT_VALUE b");
        wm.verify(postRequestedFor(urlEqualTo("/compatibility/subjects/s-key/versions/latest?verbose=true"))
                .withRequestBody(equalToJson(SCHEMA_JSON_BODY)));
    }

    @Test
    void shouldTakeApicuriosCompatibilityReason() {
        wm.stubFor(post(urlPathEqualTo("/compatibility/subjects/s-key/versions/latest")).willReturn(okJson(
                "{\"is_compatible\":false,\"reason\":\"Incompatible artifact: b at /fields/1\"}")));
        assertThat(client().testCompatibility("s-key", SCHEMA).messages())
                .containsExactly("Incompatible artifact: b at /fields/1");
    }

    @Test
    void shouldTreatAFirstVersionAsCompatible() {
        wm.stubFor(post(urlPathEqualTo("/compatibility/subjects/new/versions/latest")).willReturn(aResponse()
                .withStatus(404).withBody(error(40401, "Subject 'new' not found."))));
        assertThat(client().testCompatibility("new", SCHEMA).compatible()).isTrue();
    }

    @Test
    void shouldReadAndSetSubjectCompatibility() {
        wm.stubFor(get(urlPathEqualTo("/config/s-key")).willReturn(okJson("{\"compatibilityLevel\":\"FULL\"}")));
        wm.stubFor(put("/config/s-key").willReturn(okJson("{\"compatibility\":\"BACKWARD\"}")));
        wm.stubFor(put("/config").willReturn(okJson("{\"compatibility\":\"NONE\"}")));

        assertThat(client().getCompatibility("s-key")).isEqualTo("FULL");
        client().setCompatibility("s-key", "BACKWARD");
        client().setCompatibility(null, "NONE");

        wm.verify(getRequestedFor(urlEqualTo("/config/s-key?defaultToGlobal=true")));
        wm.verify(putRequestedFor(urlEqualTo("/config/s-key")).withHeader("Content-Type", equalTo(CT))
                .withRequestBody(equalToJson("{\"compatibility\":\"BACKWARD\"}")));
        wm.verify(putRequestedFor(urlEqualTo("/config")).withRequestBody(equalToJson("{\"compatibility\":\"NONE\"}")));
    }

    @Test
    void shouldFallBackToTheGlobalLevelWhenTheSubjectHasNone() {
        wm.stubFor(get(urlPathEqualTo("/config/s-key")).willReturn(aResponse().withStatus(404)
                .withBody(error(40408, "Subject 's-key' does not have subject-level compatibility configured"))));
        wm.stubFor(get("/config").willReturn(okJson("{\"compatibilityLevel\":\"BACKWARD\"}")));
        assertThat(client().getCompatibility("s-key")).isEqualTo("BACKWARD");
    }

    @Test
    void shouldRejectAnUnknownLevelWithoutCallingTheRegistry() {
        assertThat(catchThrowable(() -> client().setCompatibility("s", "SIDEWAYS")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIDEWAYS");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void shouldNameTheSubjectAndTheRegistrysReasonOn409() {
        wm.stubFor(post("/subjects/s-value/versions").willReturn(aResponse().withStatus(409)
                .withBody(error(409, "Schema being registered is incompatible with an earlier schema; field 'b'"))));

        Throwable t = catchThrowable(() -> client().register("s-value", SCHEMA));

        assertThat(t).isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("'s-value'").hasMessageContaining("incompatible with an earlier schema; field 'b'");
        assertThat(((IncompatibleSchemaException) t).subject()).isEqualTo("s-value");
        assertThat(sleeps).isEmpty(); // 4xx is not retried
    }

    @Test
    void shouldTakeTheExistingIdWhenApicurioAnswers409ToAConcurrentFirstRegistration() {
        // Apicurio's ccompat API answers the loser of two concurrent first registrations of a subject like this
        wm.stubFor(post("/subjects/t-key/versions").willReturn(aResponse().withStatus(409).withBody(error(409,
                "An artifact with ID 't-key' in group 'default' already exists."))));
        wm.stubFor(post("/subjects/t-key").withRequestBody(equalToJson(SCHEMA_JSON_BODY))
                .willReturn(okJson("{\"subject\":\"t-key\",\"id\":12,\"version\":1,\"schema\":"
                        + new ObjectMapper().createObjectNode().put("s", SCHEMA.toString()).get("s") + "}")));

        RestSchemaRegistryClient client = client();

        assertThat(client.register("t-key", SCHEMA)).isEqualTo(12);
        assertThat(client.problem()).isEmpty();
        wm.verify(1, postRequestedFor(urlEqualTo("/subjects/t-key")));
    }

    @Test
    void shouldReportARealIncompatibilityWhenTheSchemaIsNotRegisteredAfterA409() {
        wm.stubFor(post("/subjects/s-value/versions").willReturn(aResponse().withStatus(409)
                .withBody(error(409, "Incompatible artifact: field 'b' removed"))));
        wm.stubFor(post("/subjects/s-value").willReturn(aResponse().withStatus(404)
                .withBody(error(40403, "Schema not found"))));

        RestSchemaRegistryClient client = client();
        Throwable t = catchThrowable(() -> client.register("s-value", SCHEMA));

        assertThat(t).isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("field 'b' removed");
        assertThat(RegistryFault.of(t)).isEqualTo(RegistryFault.REFUSED);
        assertThat(client.problem()).hasValueSatisfying(p -> assertThat(p).contains("'s-value'")
                .contains("incompatible").contains("field 'b' removed"));
    }

    @Test
    void shouldReportAnUnreachableRegistryWithoutItsCredentialsUntilItAnswersAgain() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String down = "http://user:" + URL_PASSWORD + "@127.0.0.1:" + closed;
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(new AvroSerdeConfig(Map.of(
                "schema.registry.url", down, "schema.registry.max.retries", 1)), sleeps::add);

        Throwable t = catchThrowable(() -> client.getById(5));

        assertThat(RegistryFault.of(t)).isEqualTo(RegistryFault.UNAVAILABLE);
        assertThat(client.problem()).hasValueSatisfying(p -> assertThat(p)
                .startsWith("schema registry unreachable at http://****@127.0.0.1:" + closed).doesNotContain(URL_PASSWORD));
        assertThat(catchThrowable(client::ping)).isInstanceOf(SchemaRegistryUnavailableException.class)
                .message().doesNotContain(URL_PASSWORD);
        client.close();
    }

    @Test
    void shouldClearTheProblemWhenAPingIsAnswered() {
        wm.stubFor(get("/schemas/ids/5").willReturn(aResponse().withStatus(503)));
        wm.stubFor(get("/config").willReturn(okJson("{\"compatibilityLevel\":\"BACKWARD\"}")));
        RestSchemaRegistryClient client = client("schema.registry.max.retries", 0);

        catchThrowable(() -> client.getById(5));
        assertThat(client.problem()).hasValueSatisfying(p -> assertThat(p).contains("unreachable").contains("503"));

        client.ping();

        assertThat(client.problem()).isEmpty();
        wm.verify(1, getRequestedFor(urlEqualTo("/config")));
    }

    @Test
    void shouldReportRefusedCredentialsAsALastingRefusalNamingTheSettings() {
        wm.stubFor(get("/config").willReturn(aResponse().withStatus(401).withBody(error(40101, "Unauthorized"))));
        RestSchemaRegistryClient client = client("basic.auth.user.info", "u:" + PASSWORD);

        Throwable t = catchThrowable(client::ping);

        assertThat(t).isInstanceOf(SchemaRegistryRefusedException.class).message().doesNotContain(PASSWORD);
        assertThat(RegistryFault.of(t)).isEqualTo(RegistryFault.REFUSED);
        assertThat(client.problem()).hasValueSatisfying(p -> assertThat(p).contains("HTTP 401")
                .contains("basic-auth-user-info").doesNotContain(PASSWORD));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void shouldReportAnInvalidSchemaOn422() {
        wm.stubFor(post("/subjects/s-value/versions").willReturn(aResponse().withStatus(422)
                .withBody(error(42201, "Invalid schema"))));
        assertThat(catchThrowable(() -> client().register("s-value", SCHEMA)))
                .isExactlyInstanceOf(SchemaRegistryException.class).hasMessageContaining("Invalid schema")
                .hasMessageContaining("'s-value'");
    }

    @Test
    void shouldRetry5xxWithExponentialBackoffThenSucceed() {
        wm.stubFor(get("/schemas/ids/5").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(serverError().withBody(error(50001, "store down"))).willSetStateTo("second"));
        wm.stubFor(get("/schemas/ids/5").inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
        wm.stubFor(get("/schemas/ids/5").inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(okJson(SCHEMA_JSON_BODY)));

        assertThat(client().getById(5)).isEqualTo(SCHEMA);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        wm.verify(3, getRequestedFor(urlEqualTo("/schemas/ids/5")));
    }

    @Test
    void shouldRetryConnectionErrorsThenSucceed() {
        wm.stubFor(get("/schemas/ids/5").inScenario("reset").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
        wm.stubFor(get("/schemas/ids/5").inScenario("reset").whenScenarioStateIs("ok")
                .willReturn(okJson(SCHEMA_JSON_BODY)));

        assertThat(client().getById(5)).isEqualTo(SCHEMA);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void shouldGiveUpAfterTheRetriesWithATypedErrorNamingTheRegistry() {
        wm.stubFor(get("/schemas/ids/5").willReturn(serverError().withBody(error(50001, "store down"))));

        Throwable t = catchThrowable(() -> client("schema.registry.max.retries", 3).getById(5));

        assertThat(t).isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining(url()).hasMessageContaining("fetch schema id 5")
                .hasMessageContaining("after 4 attempts").hasMessageContaining("HTTP 500")
                .hasMessageContaining("store down");
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
        wm.verify(4, getRequestedFor(urlEqualTo("/schemas/ids/5")));
    }

    @Test
    void shouldFailOverToTheNextUrlWithinOneAttempt() throws IOException {
        wm.stubFor(get("/schemas/ids/5").willReturn(okJson(SCHEMA_JSON_BODY)));
        RestSchemaRegistryClient c = client("schema.registry.url", closedPortUrl() + "," + url());

        assertThat(c.getById(5)).isEqualTo(SCHEMA);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void shouldFailOverWhenTheFirstUrlAnswers5xx() {
        WireMockServer second = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        second.start();
        try {
            wm.stubFor(get("/schemas/ids/5").willReturn(aResponse().withStatus(502)));
            second.stubFor(get("/schemas/ids/5").willReturn(okJson(SCHEMA_JSON_BODY)));
            RestSchemaRegistryClient c = client("schema.registry.url",
                    url() + ",http://127.0.0.1:" + second.port() + "/");

            assertThat(c.getById(5)).isEqualTo(SCHEMA);
            assertThat(sleeps).isEmpty();
        } finally {
            second.stop();
        }
    }

    @Test
    void shouldReportARegistryThatIsDown() throws IOException {
        String down = closedPortUrl();
        Throwable t = catchThrowable(() -> client("schema.registry.url", down, "schema.registry.max.retries", 1)
                .register("s-value", SCHEMA));

        assertThat(t).isInstanceOf(SchemaRegistryUnavailableException.class).hasMessageContaining(down)
                .hasMessageContaining("register schema under subject 's-value'").hasMessageContaining("2 attempts")
                .hasMessageContaining("ConnectException");
    }

    @Test
    void shouldSendBasicAuth() {
        wm.stubFor(get("/schemas/ids/5").willReturn(okJson(SCHEMA_JSON_BODY)));
        client("basic.auth.user.info", "alice:" + PASSWORD).getById(5);
        String expected = "Basic " + Base64.getEncoder().encodeToString(("alice:" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        wm.verify(getRequestedFor(urlEqualTo("/schemas/ids/5")).withHeader("Authorization", equalTo(expected)));
    }

    @Test
    void shouldSendTheBearerToken() {
        wm.stubFor(get("/schemas/ids/5").willReturn(okJson(SCHEMA_JSON_BODY)));
        client("bearer.auth.token", TOKEN).getById(5);
        wm.verify(getRequestedFor(urlEqualTo("/schemas/ids/5")).withHeader("Authorization",
                equalTo("Bearer " + TOKEN)));
    }

    @Test
    void shouldNeverPutASecretIntoAnErrorMessage() throws IOException {
        wm.stubFor(get("/schemas/ids/1").willReturn(aResponse().withStatus(401).withBody(error(40101,
                "Unauthorized"))));
        wm.stubFor(get("/schemas/ids/2").willReturn(aResponse().withStatus(403).withBody("Forbidden")));
        wm.stubFor(get("/schemas/ids/3").willReturn(serverError()));
        wm.stubFor(get("/schemas/ids/4").willReturn(aResponse().withStatus(404).withBody(error(40403, "no"))));
        wm.stubFor(get("/schemas/ids/5").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        wm.stubFor(get("/schemas/ids/6").willReturn(okJson("not json")));
        String withUserInfo = "http://bob:" + URL_PASSWORD + "@127.0.0.1:" + wm.port();
        List<RestSchemaRegistryClient> clients = List.of(
                client("basic.auth.user.info", "alice:" + PASSWORD),
                client("bearer.auth.token", TOKEN),
                client("schema.registry.url", withUserInfo),
                client("schema.registry.url", closedPortUrl() + "," + withUserInfo, "bearer.auth.token", TOKEN),
                client("schema.registry.url", closedPortUrl().replace("//", "//bob:" + URL_PASSWORD + "@"),
                        "schema.registry.max.retries", 0));

        List<Throwable> failures = new ArrayList<>();
        for (RestSchemaRegistryClient c : clients) {
            for (int id = 1; id <= 6; id++) {
                int i = id;
                failures.add(catchThrowable(() -> c.getById(i)));
            }
        }

        assertThat(failures).doesNotContainNull();
        for (Throwable f : failures) {
            for (Throwable t = f; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass().getName())
                        .doesNotContain(PASSWORD).doesNotContain(TOKEN).doesNotContain(URL_PASSWORD)
                        .doesNotContain(Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(
                                StandardCharsets.UTF_8)));
                assertThat(t.toString()).doesNotContain(PASSWORD).doesNotContain(TOKEN).doesNotContain(URL_PASSWORD);
            }
        }
        assertThat(failures.get(0)).hasMessageContaining("HTTP 401").hasMessageContaining("credentials");
    }

    @Test
    void shouldRedactUserInfoFromUrls() {
        assertThat(dev.taskwatch.Urls.redact("https://u:p@reg.example:8081/apis/ccompat/v7"))
                .isEqualTo("https://****@reg.example:8081/apis/ccompat/v7");
        assertThat(dev.taskwatch.Urls.redact("http://127.0.0.1:1")).isEqualTo("http://127.0.0.1:1");
    }

    private static String closedPortUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    private static String quoted(String s) {
        return new ObjectMapper().getNodeFactory().textNode(s).toString();
    }
}
