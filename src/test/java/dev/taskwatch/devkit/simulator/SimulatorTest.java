package dev.taskwatch.devkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatorTest {

    static final String PROJECT = SimulatorSettings.DEFAULT_PROJECT;
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx")
            .withZone(ZoneOffset.UTC);

    final ManualClock clock = new ManualClock(START);
    final List<Duration> slept = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    Simulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    Simulator start(SimulatorSettings settings) {
        simulator = Simulator.start(settings, clock, slept::add);
        return simulator;
    }

    Simulator scripted() {
        return start(SimulatorSettings.defaults().scriptedOnly());
    }

    HttpResponse<String> get(Service service, String pathAndQuery) throws IOException, InterruptedException {
        return get(service, pathAndQuery, "token");
    }

    HttpResponse<String> get(Service service, String pathAndQuery, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.endpoint(service) + pathAndQuery));
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    static String ddsWindow(Instant from, Instant to) {
        return "start_time=" + WINDOW.format(from).replace("+", "%2B") + "&end_time="
                + WINDOW.format(to).replace("+", "%2B");
    }

    void assertOtcError(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json.readTree(response.body());
        assertThat(fieldNames(body)).containsExactly("error_code", "error_msg");
        assertThat(body.get("error_code").asText()).isEqualTo(code);
    }

    @Test
    void shouldReportEveryRequestWithItsCallerAndWindowButNeverTheToken() throws Exception {
        scripted();
        List<SimulatedRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        simulator.onRequest(seen::add);
        Instant from = START.minus(Duration.ofDays(2));

        ok(get(Service.DDS, "/v3/" + PROJECT + "/jobs?" + ddsWindow(from, START), "secret-token-a"));
        get(Service.GEMINIDB, "/v3/" + PROJECT + "/jobs", null);
        ok(get(Service.GEMINIDB, "/v3/" + PROJECT + "/jobs", "secret-token-b"));

        assertThat(seen).hasSize(3);
        assertThat(seen.get(0).service()).isEqualTo(Service.DDS);
        assertThat(seen.get(0).projectId()).isEqualTo(PROJECT);
        assertThat(seen.get(0).caller()).isEqualTo(SimulatedRequest.tokenCaller("secret-token-a"))
                .doesNotContain("secret");
        assertThat(seen.get(0).windowStart()).isEqualTo(from);
        assertThat(seen.get(0).listsFromOrBefore(START.minus(Duration.ofDays(1)))).isTrue();
        assertThat(seen.get(1).caller()).isEqualTo("anonymous");
        assertThat(seen.get(1).windowStart()).as("refused before its window was read").isNull();
        assertThat(seen.get(2).windowStart()).as("GeminiDB's default window: 30 days")
                .isEqualTo(START.minus(Duration.ofDays(30)));
        assertThat(seen.get(2).caller()).isNotEqualTo(seen.get(0).caller());
    }

    @Test
    void shouldServeGeminiDbListInTheSpecShapeWithEndTimeWhileRunning() throws Exception {
        scripted();
        SimTask task = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "CreateCassandra");
        clock.advance(Duration.ofSeconds(30));
        simulator.tasks().setProgress(task.id(), 14);

        JsonNode body = ok(get(Service.GEMINIDB, "/v3/" + PROJECT + "/jobs?offset=0&limit=10"));

        assertThat(fieldNames(body)).containsExactly("total_count", "jobs");
        assertThat(body.get("total_count").asInt()).isEqualTo(1);
        JsonNode job = body.get("jobs").get(0);
        assertThat(fieldNames(job)).containsExactly("id", "name", "status", "start_time", "end_time", "progress",
                "instance", "fail_reason");
        assertThat(job.get("status").asText()).isEqualTo("Running");
        assertThat(job.get("start_time").asText()).isEqualTo("2026-03-01T10:00:00+0000");
        assertThat(job.get("end_time").asText()).isEqualTo("2026-03-01T10:00:02+0000");
        assertThat(job.get("progress").asText()).isEqualTo("14%");
        assertThat(fieldNames(job.get("instance"))).containsExactly("id", "name");
        assertThat(job.get("instance").get("id").asText()).endsWith("in06");
        assertThat(job.get("fail_reason").asText()).isEmpty();
    }

    @Test
    void shouldServeOpenGaussTasksWithProcessNullAndChinaOffsets() throws Exception {
        scripted();
        SimTask failed = simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "CreateGaussDBV5Instance");
        clock.advance(Duration.ofMinutes(1));
        SimTask running = simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "DeleteGaussDBV5Instance");
        simulator.tasks().fail(failed.id(), "An exception occurs when the ECS processes services.");
        simulator.tasks().setProgress(running.id(), 40);

        JsonNode body = ok(get(Service.OPENGAUSS, "/v3/" + PROJECT + "/tasks"));

        assertThat(fieldNames(body)).containsExactly("tasks", "total_count");
        assertThat(body.get("total_count").asInt()).isEqualTo(2);
        JsonNode first = body.get("tasks").get(0);
        JsonNode second = body.get("tasks").get(1);
        assertThat(fieldNames(second)).containsExactly("instance_info", "job_id", "name", "status", "process",
                "fail_reason", "created_at", "ended_at");
        assertThat(fieldNames(second.get("instance_info")))
                .containsExactly("instance_id", "instance_name", "instance_status");
        assertThat(second.get("job_id").asText()).isEqualTo(failed.id());
        assertThat(second.get("status").asText()).isEqualTo("Failed");
        assertThat(second.get("process").isNull()).isTrue();
        assertThat(second.get("fail_reason").asText()).isEqualTo("An exception occurs when the ECS processes services.");
        assertThat(second.get("created_at").asText()).isEqualTo("2026-03-01T18:00:00+0800");
        assertThat(second.get("ended_at").asText()).isEqualTo("2026-03-01T18:01:00+0800");
        assertThat(second.get("instance_info").get("instance_status").asText()).isEqualTo("creating");
        assertThat(first.get("job_id").asText()).isEqualTo(running.id());
        assertThat(first.get("process").asText()).isEqualTo("40%");
        assertThat(first.get("fail_reason").isNull()).isTrue();
        assertThat(first.get("ended_at").isNull()).isTrue();
    }

    @Test
    void shouldServeDdsListWithoutTotalCountAndEmptyProgressWhenDone() throws Exception {
        scripted();
        SimTask task = simulator.tasks().createTask(Service.DDS, PROJECT, "RestartReplicaSetInstance");
        clock.advance(Duration.ofSeconds(89));
        simulator.tasks().complete(task.id());

        JsonNode body = ok(get(Service.DDS, "/v3/" + PROJECT + "/jobs?"
                + ddsWindow(START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(1)))));

        assertThat(fieldNames(body)).containsExactly("jobs");
        JsonNode job = body.get("jobs").get(0);
        assertThat(fieldNames(job)).containsExactly("id", "name", "status", "created_at", "ended_at", "progress",
                "instance_id", "instance_name", "fail_reason");
        assertThat(job.get("status").asText()).isEqualTo("Completed");
        assertThat(job.get("created_at").asText()).isEqualTo("2026-03-01T10:00:00+0000");
        assertThat(job.get("ended_at").asText()).isEqualTo("2026-03-01T10:01:29+0000");
        assertThat(job.get("progress").asText()).isEmpty();
        assertThat(job.get("fail_reason").asText()).isEmpty();
        assertThat(job.get("instance_id").asText()).endsWith("in02");
    }

    @Test
    void shouldServeDdsGetByIdWithNullFailReason() throws Exception {
        scripted();
        SimTask task = simulator.tasks().createTask(Service.DDS, PROJECT, "Create_MongoDB");
        clock.advance(Duration.ofSeconds(20));
        simulator.tasks().setProgress(task.id(), 9);

        JsonNode body = ok(get(Service.DDS, "/v3/" + PROJECT + "/jobs?id=" + task.id()));

        assertThat(fieldNames(body)).containsExactly("job");
        JsonNode job = body.get("job");
        assertThat(fieldNames(job)).containsExactly("id", "name", "status", "created", "ended", "progress",
                "instance", "fail_reason");
        assertThat(job.get("status").asText()).isEqualTo("Running");
        assertThat(job.get("progress").asText()).isEqualTo("9%");
        assertThat(job.get("ended").asText()).isEqualTo("2026-03-01T10:00:02+0000");
        assertThat(job.get("fail_reason").isNull()).isTrue();
        assertThat(fieldNames(job.get("instance"))).containsExactly("id", "name");
    }

    @Test
    void shouldServeTaurusDbGetByIdWithProcessEntitiesAndStrayWhitespace() throws Exception {
        scripted();
        SimTask task = simulator.tasks().createTask(Service.TAURUSDB, PROJECT, " RestartGaussDBInstance");
        SimTask created = simulator.tasks().createTask(Service.TAURUSDB, PROJECT, "CreateGaussDBInstance");
        clock.advance(Duration.ofMinutes(6));
        simulator.tasks().complete(task.id());
        simulator.tasks().fail(created.id(), "Insufficient quota for the requested flavor.");

        JsonNode job = ok(get(Service.TAURUSDB, "/mysql/v3/" + PROJECT + "/jobs?id=" + task.id())).get("job");
        assertThat(fieldNames(job)).containsExactly("id", "name", "status", "created", "ended", "process",
                "instance", "entities");
        assertThat(job.get("name").asText()).isEqualTo(" RestartGaussDBInstance");
        assertThat(job.get("process").asText()).isEmpty();
        assertThat(job.get("entities").size()).isZero();

        JsonNode failed = ok(get(Service.TAURUSDB, "/mysql/v3/" + PROJECT + "/jobs?id=" + created.id())).get("job");
        assertThat(failed.get("status").asText()).isEqualTo("Failed");
        assertThat(failed.get("fail_reason").asText()).isEqualTo("Insufficient quota for the requested flavor.");
        assertThat(fieldNames(failed.get("entities"))).containsExactly("instance", "resource_ids");
        assertThat(fieldNames(failed.get("entities").get("instance"))).containsExactly("endpoint", "type", "datastore");
    }

    @Test
    void shouldCancelOnlyWhereTheServiceHasCanceled() throws Exception {
        scripted();
        SimTask task = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "BackupInstance");
        clock.advance(Duration.ofSeconds(10));
        simulator.tasks().cancel(task.id());
        JsonNode job = ok(get(Service.GEMINIDB, "/v3/" + PROJECT + "/jobs")).get("jobs").get(0);
        assertThat(job.get("status").asText()).isEqualTo("Canceled");
        assertThat(job.get("progress").asText()).isEmpty();

        SimTask dds = simulator.tasks().createTask(Service.DDS, PROJECT, "Create_MongoDB");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> simulator.tasks().cancel(dds.id()))
                .withMessageContaining("dds has no Canceled status");
    }

    @Test
    void shouldRejectDdsListWithoutWindowOrWithSpanOverThirtyDays() throws Exception {
        scripted();
        String jobs = "/v3/" + PROJECT + "/jobs";
        assertOtcError(get(Service.DDS, jobs), 400, SimulatedApiError.INVALID_PARAMETER);
        assertOtcError(get(Service.DDS, jobs + "?start_time=2026-03-01T00:00:00%2B0000"), 400,
                SimulatedApiError.INVALID_PARAMETER);
        assertOtcError(get(Service.DDS, jobs + "?" + ddsWindow(START.minus(Duration.ofDays(31)), START)), 400,
                SimulatedApiError.INVALID_PARAMETER);
        assertOtcError(get(Service.DDS, jobs + "?" + ddsWindow(START, START.minus(Duration.ofDays(1)))), 400,
                SimulatedApiError.INVALID_PARAMETER);
        assertOtcError(get(Service.DDS, jobs + "?start_time=2026-03-01T00:00:00Z&end_time=2026-03-02T00:00:00Z"),
                400, SimulatedApiError.INVALID_PARAMETER);
        assertOtcError(get(Service.DDS, jobs + "?" + ddsWindow(START.minus(Duration.ofDays(1)), START) + "&limit=0"),
                400, SimulatedApiError.INVALID_PARAMETER);
        assertOtcError(get(Service.DDS, jobs + "?" + ddsWindow(START.minus(Duration.ofDays(1)), START)
                + "&limit=101"), 400, SimulatedApiError.INVALID_PARAMETER);
        assertThat(get(Service.DDS, jobs + "?" + ddsWindow(START.minus(Duration.ofDays(30)), START)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void shouldReadAnUnencodedPlusInTheOffsetAsPlus() throws Exception {
        scripted();
        simulator.tasks().createTask(Service.DDS, PROJECT, "Create_MongoDB");
        JsonNode body = ok(get(Service.DDS, "/v3/" + PROJECT
                + "/jobs?start_time=2026-03-01T09:00:00+0000&end_time=2026-03-01T11:00:00+0000"));
        assertThat(body.get("jobs").size()).isEqualTo(1);
    }

    @Test
    void shouldRejectGeminiDbLimitOtherThanTenTwentyFifty() throws Exception {
        scripted();
        String jobs = "/v3/" + PROJECT + "/jobs";
        for (String limit : List.of("1", "30", "100", "abc")) {
            assertOtcError(get(Service.GEMINIDB, jobs + "?limit=" + limit), 400, SimulatedApiError.INVALID_PARAMETER);
        }
        for (String limit : List.of("10", "20", "50")) {
            assertThat(get(Service.GEMINIDB, jobs + "?limit=" + limit).statusCode()).isEqualTo(200);
        }
        assertOtcError(get(Service.GEMINIDB, jobs + "?offset=-1"), 400, SimulatedApiError.INVALID_PARAMETER);
        assertOtcError(get(Service.GEMINIDB, jobs + "?start_time=yesterday"), 400, SimulatedApiError.INVALID_PARAMETER);
    }

    @Test
    void shouldRejectOpenGaussBadLimitAndNonMillisecondTimes() throws Exception {
        scripted();
        String tasks = "/v3/" + PROJECT + "/tasks";
        assertOtcError(get(Service.OPENGAUSS, tasks + "?limit=0"), 400, SimulatedApiError.INVALID_PARAMETER);
        assertOtcError(get(Service.OPENGAUSS, tasks + "?limit=101"), 400, SimulatedApiError.INVALID_PARAMETER);
        assertOtcError(get(Service.OPENGAUSS, tasks + "?start_time=2026-03-01T00:00:00%2B0000"), 400,
                SimulatedApiError.INVALID_PARAMETER);
        assertThat(get(Service.OPENGAUSS, tasks + "?limit=1&start_time=" + START.toEpochMilli()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void shouldPageWithOffsetAndLimitNewestFirst() throws Exception {
        scripted();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(0, simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "RestartInstance").id());
            clock.advance(Duration.ofMinutes(1));
        }
        String jobs = "/v3/" + PROJECT + "/jobs?limit=10&offset=";
        List<String> seen = new ArrayList<>();
        for (int offset = 0; offset < 30; offset += 10) {
            JsonNode body = ok(get(Service.GEMINIDB, jobs + offset));
            assertThat(body.get("total_count").asInt()).isEqualTo(25);
            body.get("jobs").forEach(j -> seen.add(j.get("id").asText()));
        }
        assertThat(seen).containsExactlyElementsOf(ids);

        JsonNode page = ok(get(Service.OPENGAUSS, "/v3/" + PROJECT + "/tasks?offset=0&limit=5"));
        assertThat(page.get("tasks").size()).isZero();
    }

    @Test
    void shouldFilterByCreationTimeWindow() throws Exception {
        scripted();
        SimTask early = simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "EnlargeGaussDBV5Volume");
        clock.advance(Duration.ofHours(2));
        SimTask late = simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "ResizeGaussDBV5Flavor");
        Instant between = START.plus(Duration.ofHours(1));

        JsonNode lateOnly = ok(get(Service.OPENGAUSS, "/v3/" + PROJECT + "/tasks?start_time=" + between.toEpochMilli()
                + "&end_time=" + clock.instant().plusSeconds(1).toEpochMilli()));
        assertThat(lateOnly.get("tasks")).extracting(t -> t.get("job_id").asText()).containsExactly(late.id());

        JsonNode earlyOnly = ok(get(Service.DDS, "/v3/" + PROJECT + "/jobs?"
                + ddsWindow(START.minus(Duration.ofHours(1)), between)));
        assertThat(earlyOnly.get("jobs").size()).isZero();
        JsonNode openGaussEarly = ok(get(Service.OPENGAUSS, "/v3/" + PROJECT + "/tasks?end_time="
                + between.toEpochMilli()));
        assertThat(openGaussEarly.get("tasks")).extracting(t -> t.get("job_id").asText()).containsExactly(early.id());
    }

    @Test
    void shouldHideTasksOlderThanThirtyDays() throws Exception {
        scripted();
        SimTask old = simulator.tasks().createTask(Service.TAURUSDB, PROJECT, "BindEIP");
        simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "BindPublicIP");
        clock.advance(Duration.ofDays(31));
        assertOtcError(get(Service.TAURUSDB, "/mysql/v3/" + PROJECT + "/jobs?id=" + old.id()), 404,
                SimulatedApiError.JOB_NOT_FOUND);
        assertThat(ok(get(Service.GEMINIDB, "/v3/" + PROJECT + "/jobs")).get("total_count").asInt()).isZero();
    }

    @Test
    void shouldAnswerNotFoundForAFreshOrUnknownId() throws Exception {
        start(SimulatorSettings.defaults().scriptedOnly().withNotFoundGrace(Duration.ofSeconds(5)));
        SimTask task = simulator.tasks().createTask(Service.TAURUSDB, PROJECT, "ResizeFlavor");
        String path = "/mysql/v3/" + PROJECT + "/jobs?id=" + task.id();
        assertOtcError(get(Service.TAURUSDB, path), 404, SimulatedApiError.JOB_NOT_FOUND);
        clock.advance(Duration.ofSeconds(6));
        assertThat(ok(get(Service.TAURUSDB, path)).get("job").get("id").asText()).isEqualTo(task.id());
        assertOtcError(get(Service.TAURUSDB, "/mysql/v3/" + PROJECT + "/jobs?id=nope"), 404, SimulatedApiError.JOB_NOT_FOUND);
        assertOtcError(get(Service.DDS, "/v3/" + PROJECT + "/jobs?id=nope"), 404, SimulatedApiError.JOB_NOT_FOUND);
        assertOtcError(get(Service.TAURUSDB, "/mysql/v3/" + PROJECT + "/jobs"), 400, SimulatedApiError.INVALID_PARAMETER);
    }

    @Test
    void shouldRejectMissingOrUnknownTokens() throws Exception {
        start(SimulatorSettings.defaults().scriptedOnly().withAcceptedTokens(Set.of("good")));
        String jobs = "/v3/" + PROJECT + "/jobs";
        assertOtcError(get(Service.GEMINIDB, jobs, null), 401, "APIGW.0301");
        assertOtcError(get(Service.GEMINIDB, jobs, "bad"), 401, "APIGW.0301");
        assertThat(get(Service.GEMINIDB, jobs, "bad").body()).doesNotContain("bad");
        assertThat(get(Service.GEMINIDB, jobs, "good").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAcceptAkSkSignedRequestsWithinFifteenMinutes() throws Exception {
        scripted();
        URI uri = URI.create(simulator.endpoint(Service.GEMINIDB) + "/v3/" + PROJECT + "/jobs");
        DateTimeFormatter sdk = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        String authorization = "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=host;x-sdk-date, Signature=0a1b2c";
        HttpResponse<String> signed = http.send(HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .header("X-Sdk-Date", sdk.format(clock.instant())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signed.statusCode()).isEqualTo(200);

        HttpResponse<String> stale = http.send(HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .header("X-Sdk-Date", sdk.format(clock.instant().minus(Duration.ofMinutes(16)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertOtcError(stale, 401, "APIGW.0301");
        HttpResponse<String> garbled = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Basic eDp5")
                .header("X-Sdk-Date", sdk.format(clock.instant())).build(), HttpResponse.BodyHandlers.ofString());
        assertOtcError(garbled, 401, "APIGW.0301");
    }

    @Test
    void shouldIssueIamTokensThatTheTaskCenterAccepts() throws Exception {
        start(SimulatorSettings.defaults().scriptedOnly().withAcceptedTokens(Set.of("static"))
                .withUsers(java.util.Map.of("alice", "s3cret")));
        String login = """
                {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice","password":"s3cret",
                "domain":{"name":"acme"}}}},"scope":{"project":{"id":"%s"}}}}""".formatted(PROJECT);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(simulator.iamEndpoint()
                + "/v3/auth/tokens")).POST(HttpRequest.BodyPublishers.ofString(login)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        String token = response.headers().firstValue("X-Subject-Token").orElseThrow();
        JsonNode body = json.readTree(response.body());
        assertThat(body.at("/token/expires_at").asText()).isEqualTo("2026-03-02T10:00:00.000000Z");
        assertThat(get(Service.GEMINIDB, "/v3/" + PROJECT + "/jobs", token).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofHours(25));
        assertOtcError(get(Service.GEMINIDB, "/v3/" + PROJECT + "/jobs", token), 401, "APIGW.0301");

        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(simulator.iamEndpoint()
                + "/v3/auth/tokens")).POST(HttpRequest.BodyPublishers.ofString(login.replace("s3cret", "x"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("X-Subject-Token")).isEmpty();
    }

    @Test
    void shouldInjectEachFaultAtProbabilityOne() throws Exception {
        String jobs = "/v3/" + PROJECT + "/jobs";
        SimulatorSettings base = SimulatorSettings.defaults().scriptedOnly();

        start(base.withFaults(SimulatorSettings.Faults.none().withThrottle(1.0, Duration.ofSeconds(7))));
        HttpResponse<String> throttled = get(Service.GEMINIDB, jobs);
        assertOtcError(throttled, 429, "APIGW.0308");
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("7");
        simulator.close();

        start(base.withFaults(SimulatorSettings.Faults.none().withGatewayThrottle(1.0, 429)));
        HttpResponse<String> gateway = get(Service.GEMINIDB, jobs);
        assertOtcError(gateway, 429, "APIG.0308");
        assertThat(gateway.headers().firstValue("Retry-After")).isEmpty();
        simulator.close();

        start(base.withFaults(SimulatorSettings.Faults.none().withGatewayThrottle(1.0, 403)));
        assertOtcError(get(Service.GEMINIDB, jobs), 403, "APIG.0308");
        simulator.close();

        start(base.withFaults(SimulatorSettings.Faults.none().withServerErrors(1.0)));
        assertOtcError(get(Service.GEMINIDB, jobs), 500, SimulatedApiError.INTERNAL_ERROR);
        simulator.close();

        start(base.withFaults(SimulatorSettings.Faults.none().withSlowResponses(1.0, Duration.ofSeconds(12))));
        assertThat(get(Service.GEMINIDB, jobs).statusCode()).isEqualTo(200);
        assertThat(slept).containsExactly(Duration.ofSeconds(12));
        simulator.close();

        start(base.withFaults(SimulatorSettings.Faults.none().withTrailingBrace(1.0)));
        HttpResponse<String> extraBrace = get(Service.GEMINIDB, jobs);
        assertThat(extraBrace.statusCode()).isEqualTo(200);
        assertThat(extraBrace.body()).endsWith("}\n}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.copy()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(extraBrace.body())).isInstanceOf(IOException.class);
        simulator.close();

        start(base.withFaults(SimulatorSettings.Faults.none().withMalformedBodies(1.0)));
        simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "CreateCassandra");
        HttpResponse<String> malformed = get(Service.GEMINIDB, jobs);
        assertThat(malformed.statusCode()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.readTree(malformed.body()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void shouldProduceTheSameScheduleForTheSameSeed() {
        SimulatorSettings settings = SimulatorSettings.defaults().withRates(6.0, Duration.ofMinutes(3), 0.2, 0.2);
        List<SimTask> first = runSchedule(settings, Duration.ofSeconds(7));
        List<SimTask> second = runSchedule(settings, Duration.ofSeconds(53));
        List<SimTask> other = runSchedule(settings.withSeed(7), Duration.ofSeconds(7));

        assertThat(first).hasSizeGreaterThan(20).isEqualTo(second);
        assertThat(other).isNotEqualTo(first);
        assertThat(first).extracting(SimTask::rawStatus).contains("Running", "Completed", "Failed", "Canceled");
        assertThat(first).filteredOn(t -> t.rawStatus().equals("Failed"))
                .allSatisfy(t -> assertThat(t.failReason()).isNotBlank());
        assertThat(first).filteredOn(t -> t.rawStatus().equals("Canceled"))
                .allSatisfy(t -> assertThat(SimulatedTaskCenter.hasCanceledStatus(t.service())).isTrue());
    }

    private static List<SimTask> runSchedule(SimulatorSettings settings, Duration step) {
        ManualClock clock = new ManualClock(START);
        SimulatedTaskCenter center = new SimulatedTaskCenter(settings, clock);
        List<SimTask> notified = new ArrayList<>();
        center.onTaskCreated(notified::add);
        Instant end = START.plus(Duration.ofMinutes(10));
        while (clock.instant().isBefore(end)) {
            clock.advance(step);
            center.advance();
        }
        ManualClock fixed = clock;
        fixed.advance(Duration.between(clock.instant(), end.plusSeconds(60)));
        center.advance();
        List<SimTask> all = new ArrayList<>();
        for (Service service : Service.values()) {
            all.addAll(center.visibleTasks(service, PROJECT));
        }
        assertThat(notified).hasSameSizeAs(all);
        all.sort(java.util.Comparator.comparing(SimTask::id));
        return all;
    }

    @Test
    void shouldProgressRandomTasksAndEndThemOnSchedule() {
        ManualClock clock = new ManualClock(START);
        SimulatedTaskCenter center = new SimulatedTaskCenter(
                SimulatorSettings.defaults().withRates(1.0, Duration.ofMinutes(10), 0.0, 0.0), clock);
        clock.advance(Duration.ofMinutes(30));
        center.advance();
        List<SimTask> all = new ArrayList<>();
        for (Service service : Service.values()) {
            all.addAll(center.visibleTasks(service, PROJECT));
        }
        assertThat(all).isNotEmpty();
        assertThat(all).filteredOn(SimTask::running).allSatisfy(t -> {
            assertThat(t.progress()).isBetween(0, 99);
            assertThat(t.endedAt()).isNull();
        });
        assertThat(all).filteredOn(t -> !t.running()).allSatisfy(t -> {
            assertThat(t.rawStatus()).isEqualTo("Completed");
            assertThat(t.endedAt()).isAfter(t.createdAt());
            assertThat(t.progress()).isNull();
        });
    }

    @Test
    void shouldAnswerUnknownPathsWithGatewayNotFound() throws Exception {
        scripted();
        assertOtcError(get(Service.GEMINIDB, "/v3/" + PROJECT + "/backups"), 404, "APIGW.0101");
    }

    @Test
    void shouldFilterListsByStatusNameAndId() throws Exception {
        scripted();
        SimTask done = simulator.tasks().createTask(Service.DDS, PROJECT, "Create_MongoDB");
        SimTask running = simulator.tasks().createTask(Service.DDS, PROJECT, "BindPublicIP");
        clock.advance(Duration.ofMinutes(1));
        simulator.tasks().complete(done.id());
        String jobs = "/v3/" + PROJECT + "/jobs?" + ddsWindow(START.minus(Duration.ofDays(1)), clock.instant());

        assertThat(ok(get(Service.DDS, jobs + "&status=Running")).get("jobs"))
                .extracting(j -> j.get("id").asText()).containsExactly(running.id());
        assertThat(ok(get(Service.DDS, jobs + "&name=Create_MongoDB")).get("jobs"))
                .extracting(j -> j.get("id").asText()).containsExactly(done.id());
        JsonNode byIdInWindow = ok(get(Service.DDS, jobs + "&id=" + done.id()));
        assertThat(fieldNames(byIdInWindow)).containsExactly("jobs");
        assertThat(byIdInWindow.get("jobs")).extracting(j -> j.get("id").asText()).containsExactly(done.id());
    }

    @Test
    void shouldTellListenersAboutScriptedAndRandomTasks() {
        ManualClock clock = new ManualClock(START);
        SimulatedTaskCenter center = new SimulatedTaskCenter(
                SimulatorSettings.defaults().withRates(2.0, Duration.ofMinutes(1), 0, 0), clock);
        List<SimTask> created = new ArrayList<>();
        center.onTaskCreated(created::add);

        SimTask scripted = center.createTask(Service.TAURUSDB, "p2", "BindEIP");
        clock.advance(Duration.ofMinutes(5));
        center.advance();

        assertThat(created).first().isEqualTo(scripted);
        assertThat(created).hasSizeGreaterThan(1);
        assertThat(created.subList(1, created.size())).allSatisfy(t -> {
            assertThat(t.projectId()).isEqualTo(PROJECT);
            assertThat(t.createdAt()).isAfter(START);
        });
        assertThat(center.find(scripted.id()).orElseThrow().running()).isTrue();
    }

    @Test
    void shouldServeStatusesTheDialectsMustKeepAsRaw() throws Exception {
        scripted();
        SimTask task = simulator.tasks().createTask(Service.TAURUSDB, PROJECT, "ResizeFlavor");
        simulator.tasks().setRawStatus(task.id(), "Unauthorized");
        clock.advance(Duration.ofSeconds(10));
        JsonNode job = ok(get(Service.TAURUSDB, "/mysql/v3/" + PROJECT + "/jobs?id=" + task.id())).get("job");
        assertThat(job.get("status").asText()).isEqualTo("Unauthorized");
        assertThat(job.get("process").asText()).isEmpty();
    }

    @Test
    void shouldVerifyAkSkSignaturesOfConfiguredAccessKeys() throws Exception {
        start(SimulatorSettings.defaults().scriptedOnly().withAccessKeys(java.util.Map.of("AKID", "SECRET")));
        String path = "/dds/v3/" + PROJECT + "/jobs";
        String query = ddsWindow(START.minus(Duration.ofDays(1)), START) + "&limit=10";
        String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .format(clock.instant());
        String host = "127.0.0.1:" + simulator.port();
        List<String> signed = List.of("host", "x-sdk-date");
        java.util.function.Function<String, String> headers = h -> h.equals("host") ? host : date;

        String good = AkSkVerifier.signature("GET", path, query, signed, headers, new byte[0], date, "SECRET");
        assertThat(signedGet(path + "?" + query, "AKID", good, date).statusCode()).isEqualTo(200);

        String wrongSecret = AkSkVerifier.signature("GET", path, query, signed, headers, new byte[0], date, "OTHER");
        assertOtcError(signedGet(path + "?" + query, "AKID", wrongSecret, date), 401, "APIGW.0301");
        assertOtcError(signedGet(path + "?" + query + "&offset=1", "AKID", good, date), 401, "APIGW.0301");
        assertOtcError(signedGet(path + "?" + query, "NOPE", good, date), 401, "APIGW.0301");
    }

    private HttpResponse<String> signedGet(String pathAndQuery, String accessKey, String signature, String date)
            throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + simulator.port() + pathAndQuery);
        return http.send(HttpRequest.newBuilder(uri)
                .header("Authorization", "SDK-HMAC-SHA256 Access=" + accessKey
                        + ", SignedHeaders=host;x-sdk-date, Signature=" + signature)
                .header("X-Sdk-Date", date).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldCanonicaliseLikeTheGatewayDocuments() {
        assertThat(AkSkVerifier.canonicalUri("/dds/v3/p1/jobs")).isEqualTo("/dds/v3/p1/jobs/");
        assertThat(AkSkVerifier.canonicalUri("/v3/a%20b/")).isEqualTo("/v3/a%20b/");
        assertThat(AkSkVerifier.canonicalQuery("limit=10&start_time=2023-01-01T00:00:00%2B0000&id=a&flag"))
                .isEqualTo("flag=&id=a&limit=10&start_time=2023-01-01T00%3A00%3A00%2B0000");
    }

    @Test
    void shouldOfferTargetsAndCredentialsThatItAccepts() throws Exception {
        start(SimulatorSettings.defaults().scriptedOnly().withProjects(List.of("p1", "p2"))
                .withAcceptedTokens(Set.of("only-this")));
        List<dev.taskwatch.taskcenter.Target> targets = simulator.targets("eu-de", "sim", Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofDays(1));
        assertThat(targets).hasSize(Service.values().length * 2);
        assertThat(targets).extracting(t -> t.name()).doesNotHaveDuplicates();
        assertThat(targets).allSatisfy(t -> {
            assertThat(t.endpoint()).isEqualTo(simulator.endpoint(t.service()));
            assertThat(t.credentials()).isEqualTo("sim");
        });
        String token = simulator.credentials("sim").token();
        assertThat(get(Service.OPENGAUSS, "/v3/p2/tasks", token).statusCode()).isEqualTo(200);
    }
}
