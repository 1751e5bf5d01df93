package dev.taskwatch.devkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.poller.TaskCenterHttp;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.GetByIdDialect;
import dev.taskwatch.taskcenter.ListQuery;
import dev.taskwatch.taskcenter.ListingDialect;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.OffsetReadingProbe;
import dev.taskwatch.taskcenter.TaskPage;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TimeWindow;
import dev.taskwatch.testing.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulator and the real dialects speak the same wire format: every status a test can script is served by the
 * simulator and parsed by the service's dialect into exactly the snapshot the script implies; the simulator's "not
 * found" is the dialects' "not found"; and every list request a dialect builds is one the simulator accepts.
 */
class SimulatorDialectContractTest {

    static final String PROJECT = SimulatorSettings.DEFAULT_PROJECT;
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    static final String FAIL_REASON = "Insufficient quota for the requested flavor.";

    final ManualClock clock = new ManualClock(START);
    final HttpClient http = HttpClient.newHttpClient();
    Simulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    /** What the script did to one task, and so what its snapshot must say. */
    record Expected(String name, TaskStatus status, String rawStatus, Integer progress, Instant createdAt,
            Instant endedAt, String failReason) {}

    private Target target(Service service) {
        return new Target(service.id() + "-contract", service, "eu-de", PROJECT, simulator.endpoint(service), "sim",
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofDays(7));
    }

    /**
     * Scripts one task per status: running at 14 %, completed, failed with a reason, canceled (where the service has
     * it), pending and an unknown raw status. Each task is created 10 s after the previous one and ends 3 s after its
     * creation, so every timestamp is distinct.
     */
    private Map<String, Expected> script(Service service, String name) {
        SimulatedTaskCenter tasks = simulator.tasks();
        Map<String, Expected> expected = new LinkedHashMap<>();
        String trimmed = name.strip();

        SimTask running = tasks.createTask(service, PROJECT, name);
        tasks.setProgress(running.id(), 14);
        expected.put(running.id(), new Expected(trimmed, TaskStatus.RUNNING, "Running", 14, clock.instant(), null,
                null));

        clock.advance(Duration.ofSeconds(10));
        SimTask completed = tasks.createTask(service, PROJECT, name);
        Instant completedCreated = clock.instant();
        tasks.setProgress(completed.id(), 80);
        clock.advance(Duration.ofSeconds(3));
        tasks.complete(completed.id());
        expected.put(completed.id(), new Expected(trimmed, TaskStatus.COMPLETED, "Completed", null,
                completedCreated, clock.instant(), null));

        clock.advance(Duration.ofSeconds(10));
        SimTask failed = tasks.createTask(service, PROJECT, name);
        Instant failedCreated = clock.instant();
        clock.advance(Duration.ofSeconds(3));
        tasks.fail(failed.id(), FAIL_REASON);
        expected.put(failed.id(), new Expected(trimmed, TaskStatus.FAILED, "Failed", null, failedCreated,
                clock.instant(), FAIL_REASON));

        if (SimulatedTaskCenter.hasCanceledStatus(service)) {
            clock.advance(Duration.ofSeconds(10));
            SimTask canceled = tasks.createTask(service, PROJECT, name);
            Instant canceledCreated = clock.instant();
            clock.advance(Duration.ofSeconds(3));
            tasks.cancel(canceled.id());
            expected.put(canceled.id(), new Expected(trimmed, TaskStatus.CANCELED, "Canceled", null,
                    canceledCreated, clock.instant(), null));
        }

        clock.advance(Duration.ofSeconds(10));
        SimTask pending = tasks.createTask(service, PROJECT, name);
        tasks.setRawStatus(pending.id(), "Pending");
        expected.put(pending.id(), new Expected(trimmed, TaskStatus.PENDING, "Pending", null, clock.instant(), null,
                null));

        clock.advance(Duration.ofSeconds(10));
        SimTask unknown = tasks.createTask(service, PROJECT, name);
        tasks.setRawStatus(unknown.id(), "Frozen");
        expected.put(unknown.id(), new Expected(trimmed, TaskStatus.UNKNOWN, "Frozen", null, clock.instant(), null,
                null));

        clock.advance(Duration.ofSeconds(10));
        return expected;
    }

    private HttpResponse<String> send(Target target, ApiRequest request) throws IOException, InterruptedException {
        URI uri = TaskCenterHttp.uri(target.endpoint(), request);
        return http.send(HttpRequest.newBuilder(uri).header("X-Auth-Token", "contract-token").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void assertSnapshot(TaskSnapshot s, Target target, SimTask task, Expected e, Instant observedAt,
            String source) {
        String id = s.getTaskId();
        assertThat(s.getService()).as(id + " service").isEqualTo(target.service().id());
        assertThat(s.getRegion()).as(id + " region").isEqualTo("eu-de");
        assertThat(s.getProjectId()).as(id + " project_id").isEqualTo(PROJECT);
        assertThat(s.getName()).as(id + " name").isEqualTo(e.name());
        assertThat(s.getStatus()).as(id + " status").isEqualTo(e.status());
        assertThat(s.getRawStatus()).as(id + " raw_status").isEqualTo(e.rawStatus());
        assertThat(s.getProgressPercent()).as(id + " progress_percent").isEqualTo(e.progress());
        assertThat(s.getCreatedAt()).as(id + " created_at").isEqualTo(e.createdAt());
        assertThat(s.getEndedAt()).as(id + " ended_at (only when terminal)").isEqualTo(e.endedAt());
        assertThat(s.getFailReason()).as(id + " fail_reason").isEqualTo(e.failReason());
        assertThat(s.getInstanceId()).as(id + " instance_id").isEqualTo(task.instanceId());
        assertThat(s.getInstanceName()).as(id + " instance_name").isEqualTo(task.instanceName());
        assertThat(s.getObservedAt()).as(id + " observed_at").isEqualTo(observedAt);
        assertThat(s.getSource()).as(id + " source").isEqualTo(source);
    }

    @ParameterizedTest
    @EnumSource(value = Service.class, names = {"GEMINIDB", "OPENGAUSS", "DDS"})
    void shouldParseEveryScriptedStatusOfTheSimulatorsListWithTheRealDialect(Service service) throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly(), clock, d -> {});
        String name = switch (service) {
            case GEMINIDB -> "CreateCassandra";
            case OPENGAUSS -> "DeleteGaussDBV5Instance";
            default -> "Create_MongoDB";
        };
        Map<String, Expected> expected = script(service, name);
        ListingDialect dialect = Dialects.of(service).listing().orElseThrow();
        Target target = target(service);
        ApiRequest request = dialect.listRequest(target, new TimeWindow(START.minus(Duration.ofDays(1)),
                clock.instant().plus(Duration.ofMinutes(1))), 0, dialect.pageSize(50));

        HttpResponse<String> response = send(target, request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Instant observedAt = clock.instant();
        String source = simulator.endpoint(service) + request.path();
        TaskPage page = dialect.parseList(target, response.body(), dialect.pageSize(50), observedAt, source);

        assertThat(page.totalCount()).as("total_count (absent from DDS lists)")
                .isEqualTo(service == Service.DDS ? null : expected.size());
        assertThat(page.tasks()).extracting(TaskSnapshot::getTaskId)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (TaskSnapshot s : page.tasks()) {
            SimTask task = simulator.tasks().find(s.getTaskId()).orElseThrow();
            assertSnapshot(s, target, task, expected.get(s.getTaskId()), observedAt, source);
            assertThat(s.getInstanceStatus()).as(s.getTaskId() + " instance_status (openGauss only)")
                    .isEqualTo(service == Service.OPENGAUSS ? task.instanceStatus() : null);
            assertThat(s.getDetails()).as(s.getTaskId() + " details").isEmpty();
        }
        // openGauss reports the instance status; this name ends in "deleted" once completed
        if (service == Service.OPENGAUSS) {
            Map<TaskStatus, String> instanceStatus = page.tasks().stream().collect(Collectors.toMap(
                    TaskSnapshot::getStatus, TaskSnapshot::getInstanceStatus, (a, b) -> a));
            assertThat(instanceStatus).containsEntry(TaskStatus.COMPLETED, "deleted")
                    .containsEntry(TaskStatus.RUNNING, "deleting");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Service.class, names = {"GEMINIDB", "OPENGAUSS", "DDS", "TAURUSDB"})
    void shouldParseEveryScriptedStatusOfTheSimulatorsGetByIdWithTheRealDialect(Service service) throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly(), clock, d -> {});
        // TaurusDB: the spec example's leading blank in the name, and entities of an instance creation
        String name = service == Service.TAURUSDB ? " CreateGaussDBInstance" : "RestartReplicaSetInstance";
        Map<String, Expected> expected = script(service, name);
        GetByIdDialect dialect = Dialects.of(service).getById().orElseThrow();
        Target target = target(service);
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            ApiRequest request = dialect.getRequest(target, e.getKey());
            HttpResponse<String> response = send(target, request);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Instant observedAt = clock.instant();
            String source = simulator.endpoint(service) + request.path();
            Optional<TaskSnapshot> parsed = dialect.parseGet(target, e.getKey(), response.body(), observedAt,
                    source);
            assertThat(parsed).as(e.getKey() + " found").isPresent();
            SimTask task = simulator.tasks().find(e.getKey()).orElseThrow();
            assertSnapshot(parsed.get(), target, task, e.getValue(), observedAt, source);
            assertThat(parsed.get().getInstanceStatus()).isNull();
            if (service == Service.TAURUSDB) {
                assertThat(parsed.get().getDetails()).as(e.getKey() + " details from entities").isEqualTo(Map.of(
                        "entities.instance.endpoint", "192.168.0.12:3306",
                        "entities.instance.type", "Cluster",
                        "entities.instance.datastore.type", "gaussdb-mysql",
                        "entities.instance.datastore.version", "8.0",
                        "entities.resource_ids.0", task.instanceId() + ".vm",
                        "entities.resource_ids.1", task.instanceId() + ".volume"));
            } else {
                assertThat(parsed.get().getDetails()).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Service.class, names = {"DDS", "TAURUSDB"})
    void shouldRecogniseTheSimulatorsNotFoundAsTheDialectsNotFound(Service service) throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withNotFoundGrace(Duration.ofSeconds(5)), clock, d -> {});
        GetByIdDialect dialect = Dialects.of(service).getById().orElseThrow();
        Target target = target(service);

        HttpResponse<String> unknown = send(target, dialect.getRequest(target, "no-such-job"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(dialect.isNotFound(unknown.statusCode(), unknown.body())).as(unknown.body()).isTrue();

        // a task created a moment ago answers "not found" for the grace period, then is found
        SimTask fresh = simulator.tasks().createTask(service, PROJECT, "BindEIP");
        HttpResponse<String> young = send(target, dialect.getRequest(target, fresh.id()));
        assertThat(young.statusCode()).isEqualTo(404);
        assertThat(dialect.isNotFound(young.statusCode(), young.body())).as(young.body()).isTrue();
        clock.advance(Duration.ofSeconds(6));
        HttpResponse<String> found = send(target, dialect.getRequest(target, fresh.id()));
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(dialect.parseGet(target, fresh.id(), found.body(), clock.instant(), "src")).isPresent();

        // the gateway's "no such API" (a wrong endpoint) is not a missing job
        HttpResponse<String> wrongPath = http.send(HttpRequest.newBuilder(URI.create(simulator.endpoint(service)
                + "/v9/nothing")).header("X-Auth-Token", "t").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongPath.statusCode()).isEqualTo(404);
        assertThat(dialect.isNotFound(wrongPath.statusCode(), wrongPath.body())).as(wrongPath.body()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Service.class, names = {"GEMINIDB", "OPENGAUSS", "DDS"})
    void shouldAcceptEveryListRequestTheDialectBuilds(Service service) throws Exception {
        // some random tasks, so pages are not all empty
        simulator = Simulator.start(SimulatorSettings.defaults(), clock, d -> {});
        clock.advance(Duration.ofHours(2));
        ListingDialect dialect = Dialects.of(service).listing().orElseThrow();
        Target target = target(service);
        Instant now = clock.instant();
        List<TimeWindow> windows = List.of(
                new TimeWindow(now.minus(Duration.ofDays(30)), now),
                new TimeWindow(now.minus(Duration.ofDays(30)).plusSeconds(61), now.plus(Duration.ofMinutes(1))),
                new TimeWindow(now.minus(Duration.ofDays(7)).plusMillis(123), now.plusMillis(999)),
                new TimeWindow(now.minusSeconds(1), now),
                new TimeWindow(Instant.parse("2026-02-28T23:59:59.999Z"), now));
        List<Integer> sizes = new ArrayList<>(List.of(1, 10, 20, 50, 100, 7));
        List<String> rejected = new ArrayList<>();
        int requests = 0;
        for (TimeWindow window : windows) {
            for (int wanted : sizes) {
                int limit = dialect.pageSize(wanted);
                for (int offset : List.of(0, 3, limit)) {
                    ApiRequest request = dialect.listRequest(target, window, offset, limit);
                    HttpResponse<String> response = send(target, request);
                    requests++;
                    if (response.statusCode() != 200) {
                        rejected.add(TaskCenterHttp.uri(target.endpoint(), request) + " -> " + response.statusCode()
                                + " " + response.body());
                    } else {
                        TaskPage page = dialect.parseList(target, response.body(), limit, now, "src");
                        assertThat(page.tasks().size()).isLessThanOrEqualTo(limit);
                    }
                }
            }
        }
        assertThat(rejected).as("list requests the simulator rejected, of " + requests).isEmpty();
    }

    @Test
    void shouldAnswerAGeminiDbGetByIdOfAnUnknownJobWithAnEmptyListWhichTheDialectReadsAsNotFound() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly(), clock, d -> {});
        GetByIdDialect dialect = Dialects.of(Service.GEMINIDB).getById().orElseThrow();
        Target target = target(Service.GEMINIDB);

        HttpResponse<String> unknown = send(target, dialect.getRequest(target, "no-such-job"));

        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(dialect.parseGet(target, "no-such-job", unknown.body(), clock.instant(), "src")).isEmpty();
    }

    @Test
    void shouldAcceptADdsListWithOffsetZeroAsTerraformSendsItAndWithoutOffsetAsTaskwatchSendsIt() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly(), clock, d -> {});
        SimTask task = simulator.tasks().createTask(Service.DDS, PROJECT, "BindPublicIP");
        clock.advance(Duration.ofSeconds(1));
        Target dds = target(Service.DDS);
        ApiRequest first = dds().listRequest(dds, new TimeWindow(START.minusSeconds(60), clock.instant()), 0, 10);
        assertThat(first.query()).doesNotContainKey("offset");
        HttpResponse<String> without = send(dds, first);

        Map<String, String> withZero = new LinkedHashMap<>(first.query());
        withZero.put("offset", "0");
        HttpResponse<String> zero = send(dds, new ApiRequest("GET", first.path(), withZero));
        withZero.put("offset", "-1");
        HttpResponse<String> negative = send(dds, new ApiRequest("GET", first.path(), withZero));

        assertThat(without.statusCode()).isEqualTo(200);
        assertThat(zero.statusCode()).as(zero.body()).isEqualTo(200);
        assertThat(zero.body()).isEqualTo(without.body()).contains(task.id());
        assertThat(negative.statusCode()).as("only what the spec forbids is refused").isEqualTo(400);
    }

    @Test
    void shouldReadTheOpenGaussOffsetAsAPageNumberWhenSetToPagesSoThatTestsCanPlayEitherReading() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withOffsetReading(OffsetReading.PAGES), clock, d -> {});
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "RestartInstance").id());
            clock.advance(Duration.ofSeconds(1));
        }
        Target target = target(Service.OPENGAUSS);
        ListingDialect dialect = listing(Service.OPENGAUSS);
        TimeWindow window = new TimeWindow(START.minusSeconds(60), clock.instant());

        List<String> pagesRead = new ArrayList<>();
        List<String> itemsRead = new ArrayList<>();
        for (int offset = 0; offset < 5; offset += 2) {
            pagesRead.addAll(ids(target, dialect, new ListQuery(window, offset, 2, false, OffsetReading.PAGES)));
            itemsRead.addAll(ids(target, dialect, new ListQuery(window, offset, 2, false, OffsetReading.ITEMS)));
        }

        assertThat(pagesRead).as("page numbers 1, 2, 3 read every task once").containsExactlyInAnyOrderElementsOf(
                created);
        // offsets 0, 2, 4 read as pages 1, 2, 4: page 3 is never asked for, its task is lost silently
        assertThat(itemsRead).as("item offsets read as page numbers").doesNotHaveDuplicates().hasSize(4);
        assertThat(created).containsAll(itemsRead);
    }

    @ParameterizedTest
    @EnumSource(OffsetReading.class)
    void shouldLetTheProbeDetectHowTheSimulatedOpenGaussReadsItsOffset(OffsetReading reading) throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withOffsetReading(reading), clock,
                d -> {});
        for (int i = 0; i < 5; i++) {
            simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "RestartInstance");
            clock.advance(Duration.ofSeconds(1));
        }
        Target target = target(Service.OPENGAUSS);
        ListingDialect dialect = listing(Service.OPENGAUSS);
        ListQuery firstQuery = ListQuery.of(new TimeWindow(START.minusSeconds(60), clock.instant()), 0, 2);

        TaskPage first = page(target, dialect, firstQuery);
        TaskPage probe = page(target, dialect, OffsetReadingProbe.probeQuery(firstQuery));

        assertThat(OffsetReadingProbe.needed(first, 2)).isTrue();
        assertThat(OffsetReadingProbe.decide(first, probe)).contains(reading);
    }

    private TaskPage page(Target target, ListingDialect dialect, ListQuery query) throws Exception {
        HttpResponse<String> response = send(target, dialect.listRequest(target, query));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return dialect.parseList(target, response.body(), query.limit(), clock.instant(), "src");
    }

    private List<String> ids(Target target, ListingDialect dialect, ListQuery query) throws Exception {
        HttpResponse<String> response = send(target, dialect.listRequest(target, query));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return dialect.parseList(target, response.body(), query.limit(), clock.instant(), "src").tasks().stream()
                .map(TaskSnapshot::getTaskId).toList();
    }

    @Test
    void shouldSendTheListWindowAsTheSpecsWantItOnTheWire() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly(), clock, d -> {});
        TimeWindow window = new TimeWindow(Instant.parse("2026-02-01T10:00:00.500Z"),
                Instant.parse("2026-03-01T10:01:00Z"));
        Function<Service, String> query = s -> TaskCenterHttp.uri(simulator.endpoint(s),
                listing(s).listRequest(target(s), window, 0, listing(s).pageSize(20))).getRawQuery();
        assertThat(query.apply(Service.GEMINIDB)).isEqualTo(
                "start_time=2026-02-01T10%3A00%3A00%2B0000&end_time=2026-03-01T10%3A01%3A00%2B0000&offset=0&limit=20");
        assertThat(query.apply(Service.DDS)).isEqualTo(
                "start_time=2026-02-01T10%3A00%3A00%2B0000&end_time=2026-03-01T10%3A01%3A00%2B0000&limit=20");
        assertThat(query.apply(Service.OPENGAUSS)).isEqualTo(
                "start_time=" + window.from().toEpochMilli() + "&end_time=" + window.to().toEpochMilli()
                        + "&offset=0&limit=20");
        // and the simulator reads the same instants back: a task created at the window's end is inside
        SimTask edge = simulator.tasks().createTask(Service.DDS, PROJECT, "BindPublicIP");
        clock.advance(Duration.ofSeconds(1));
        Target dds = target(Service.DDS);
        HttpResponse<String> response = send(dds, dds().listRequest(dds,
                new TimeWindow(START, START.plusSeconds(1)), 0, 10));
        assertThat(dds().parseList(dds, response.body(), 100, clock.instant(), "src").tasks())
                .extracting(TaskSnapshot::getTaskId).containsExactly(edge.id());
    }

    private static ListingDialect listing(Service service) {
        return Dialects.of(service).listing().orElseThrow();
    }

    private static ListingDialect dds() {
        return listing(Service.DDS);
    }
}
