package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.GetByIdDialect;
import dev.taskwatch.taskcenter.ListingDialect;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TaskCenterDialect;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A task read from its list and then by id (or the other way round) is published only when its state changed, not
 * because the two answers are shaped differently. Each service's list element and get-by-id answer below describe the
 * same state in the shapes of its API reference (and of the fixtures under src/test/resources/taskcenter): DDS's job
 * nests the instance and names its times {@code created}/{@code ended}; openGauss's job detail has no instance
 * status, other time offsets and {@code progress} for {@code process}; GeminiDB's get-by-id is its list filtered by id.
 */
class ListAndByIdShapesTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Duration REFRESH = Duration.ofMinutes(5);
    private static final String ID = "a4a7b2b4-6c0d-4b5c-9d36-1c5b0f1e2b77";

    /** One task state: raw status, progress in percent (null for none), instance status where the list shows one. */
    record State(String status, Integer progress, String instanceStatus) {}

    /** A service's two answers about one task, as its API writes them. */
    record Shapes(Service service, String label, Function<State, String> list, Function<State, String> byId) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Shapes> services() {
        // GeminiDB's get-by-id is its list filtered by id: the same shape
        return Stream.of(new Shapes(Service.GEMINIDB, "GeminiDB", ListAndByIdShapesTest::geminiDbList,
                        ListAndByIdShapesTest::geminiDbList),
                new Shapes(Service.OPENGAUSS, "openGauss", ListAndByIdShapesTest::openGaussList,
                        ListAndByIdShapesTest::openGaussJob),
                new Shapes(Service.DDS, "DDS", ListAndByIdShapesTest::ddsList, ListAndByIdShapesTest::ddsJob));
    }

    private final TargetMemory memory = new TargetMemory();

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void shouldNotPublishAByIdAnswerWhenItDescribesTheStateTheListShowed(Shapes shapes) throws Exception {
        State running = new State("Running", 40, "modifying");

        assertThat(publish(shapes, shapes.list().apply(running), true, NOW)).as("first sight, from the list").isTrue();
        assertThat(publish(shapes, shapes.byId().apply(running), false, NOW.plusSeconds(5)))
                .as("the same state read by id").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void shouldGiveTheSameFingerprintWhenAListElementAndAByIdAnswerDescribeTheSameState(Shapes shapes)
            throws Exception {
        State completed = new State("Completed", null, "available");
        TaskSnapshot listed = readList(shapes, shapes.list().apply(new State("Running", 90, "available")));
        memory.record(List.of(listed), List.of(listed), NOW);
        GetByIdDialect getById = dialect(shapes).getById().orElseThrow();

        long fromList = memory.fingerprint(readList(shapes, shapes.list().apply(completed)), true);
        long byId = memory.fingerprint(readById(shapes, shapes.byId().apply(completed)), getById.getCarriesInstanceStatus());

        assertThat(byId).isEqualTo(fromList);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void shouldPublishAByIdAnswerWhenItsStateChanged(Shapes shapes) throws Exception {
        publish(shapes, shapes.list().apply(new State("Running", 40, "modifying")), true, NOW);

        assertThat(publish(shapes, shapes.byId().apply(new State("Running", 50, "modifying")), false, NOW.plusSeconds(5)))
                .as("progress").isTrue();
        assertThat(publish(shapes, shapes.byId().apply(new State("Failed", null, "modifying")), false, NOW.plusSeconds(10)))
                .as("terminal").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void shouldNotPublishAListElementWhenItDescribesTheStateAByIdAnswerPublished(Shapes shapes) throws Exception {
        publish(shapes, shapes.list().apply(new State("Running", 40, "modifying")), true, NOW);
        publish(shapes, shapes.byId().apply(new State("Running", 60, "modifying")), false, NOW.plusSeconds(5));

        assertThat(publish(shapes, shapes.list().apply(new State("Running", 60, "modifying")), true, NOW.plusSeconds(10)))
                .isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void shouldPublishATerminalStateOnceWhenItIsReadByIdAndThenListedAgain(Shapes shapes) throws Exception {
        publish(shapes, shapes.list().apply(new State("Running", 40, "modifying")), true, NOW);
        State completed = new State("Completed", null, "modifying");

        assertThat(publish(shapes, shapes.byId().apply(completed), false, NOW.plusSeconds(5))).isTrue();
        assertThat(publish(shapes, shapes.list().apply(completed), true, NOW.plusSeconds(10))).as("a sweep").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void shouldPublishAListElementWhenOnlyItsInstanceStatusChanged(Shapes shapes) throws Exception {
        publish(shapes, shapes.list().apply(new State("Running", 40, "modifying")), true, NOW);
        publish(shapes, shapes.byId().apply(new State("Running", 40, "modifying")), false, NOW.plusSeconds(5));
        boolean listShowsIt = readList(shapes, shapes.list().apply(new State("Running", 40, "x"))).getInstanceStatus() != null;

        assertThat(publish(shapes, shapes.list().apply(new State("Running", 40, "available")), true, NOW.plusSeconds(10)))
                .as("published exactly where the list shows an instance status").isEqualTo(listShowsIt);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void shouldKeepTheByIdSnapshotAsReadWhenItsShapeHasNoInstanceStatus(Shapes shapes) throws Exception {
        publish(shapes, shapes.list().apply(new State("Running", 40, "modifying")), true, NOW);
        GetByIdDialect getById = dialect(shapes).getById().orElseThrow();
        TaskSnapshot byId = readById(shapes, shapes.byId().apply(new State("Running", 50, "modifying")));

        assertThat(byId.getInstanceStatus() == null).as("nothing is invented in the snapshot")
                .isEqualTo(!getById.getCarriesInstanceStatus());
    }

    /** What the poller does with one read: the memory decides, then records it as the sink acknowledged it. */
    private boolean publish(Shapes shapes, String body, boolean fromList, Instant now) throws Exception {
        TaskSnapshot s = fromList ? readList(shapes, body) : readById(shapes, body);
        boolean carries = fromList || dialect(shapes).getById().orElseThrow().getCarriesInstanceStatus();
        long fingerprint = memory.fingerprint(s, carries);
        boolean changed = memory.changed(s, fingerprint, now, REFRESH);
        memory.record(List.of(s), new long[] {fingerprint}, changed ? List.of(s) : List.of(), now, carries);
        return changed;
    }

    private static TaskSnapshot readList(Shapes shapes, String body) throws Exception {
        ListingDialect listing = dialect(shapes).listing().orElseThrow();
        List<TaskSnapshot> tasks = listing.parseList(target(shapes), body, 100, NOW, "https://list").tasks();
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }

    private static TaskSnapshot readById(Shapes shapes, String body) throws Exception {
        return dialect(shapes).getById().orElseThrow().parseGet(target(shapes), ID, body, NOW, "https://get")
                .orElseThrow();
    }

    private static TaskCenterDialect dialect(Shapes shapes) {
        return Dialects.of(shapes.service());
    }

    private static Target target(Shapes shapes) {
        return new Target(shapes.service().id(), shapes.service(), "eu-de", "0611f1bd8b00d5d32f17c017f15b599f",
                URI.create("https://example.invalid"), "test", Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofDays(7));
    }

    /** "14%" while there is a progress, as the services write it; {@code empty} otherwise. */
    private static String progress(State s, String empty) {
        return s.progress() == null ? empty : "\"" + s.progress() + "%\"";
    }

    private static String failReason(State s, String empty) {
        return s.status().equals("Failed") ? "\"disk full\"" : empty;
    }

    private static String geminiDbList(State s) {
        return """
                {"total_count": 1, "jobs": [{"id": "%s", "name": "CreateCassandra", "status": "%s",
                  "start_time": "2026-11-24T06:44:01+0000", "end_time": "2026-11-24T06:44:03+0000",
                  "progress": %s, "instance": {"id": "27a045b6in06", "name": "nosql-12f5"},
                  "fail_reason": %s}]}""".formatted(ID, s.status(), progress(s, "\"\""), failReason(s, "\"\""));
    }

    private static String openGaussList(State s) {
        return """
                {"tasks": [{"instance_info": {"instance_id": "ce2dce50in14", "instance_name": "gauss-6568-zzh",
                   "instance_status": "%s"},
                  "job_id": "%s", "name": "CreateGaussDBV5Instance", "status": "%s", "process": %s,
                  "fail_reason": %s, "created_at": "2026-11-24T18:40:12+0800", "ended_at": %s}],
                 "total_count": 1}""".formatted(s.instanceStatus(), ID, s.status(), progress(s, "null"),
                failReason(s, "null"), s.status().equals("Running") ? "null" : "\"2026-11-24T19:02:00+0800\"");
    }

    /** ShowJobDetail: {@code id}, {@code progress}, {@code created}/{@code ended} at +0000, no instance status. */
    private static String openGaussJob(State s) {
        return """
                {"job": {"id": "%s", "name": "CreateGaussDBV5Instance", "status": "%s",
                  "created": "2026-11-24T10:40:12+0000", "ended": "%s", "progress": %s,
                  "instance": {"id": "ce2dce50in14", "name": "gauss-6568-zzh"}, "fail_reason": %s}}"""
                .formatted(ID, s.status(), s.status().equals("Running") ? "" : "2026-11-24T11:02:00+0000",
                        progress(s, "\"\""), failReason(s, "\"\""));
    }

    private static String ddsList(State s) {
        return """
                {"jobs": [{"id": "%s", "name": "Create_MongoDB", "status": "%s",
                  "created_at": "2026-11-24T07:28:43+0000", "ended_at": "2026-11-24T07:28:53+0000",
                  "progress": %s, "instance_id": "cf538a2din02", "instance_name": "dds-3a98-wcc",
                  "fail_reason": %s}]}""".formatted(ID, s.status(), progress(s, "\"\""), failReason(s, "\"\""));
    }

    /** The job detail: {@code created}/{@code ended}, nested {@code instance{id,name}}, null fail reason. */
    private static String ddsJob(State s) {
        return """
                {"job": {"id": "%s", "name": "Create_MongoDB", "status": "%s",
                  "created": "2026-11-24T07:28:43+0000", "ended": "2026-11-24T07:28:53+0000", "progress": %s,
                  "instance": {"id": "cf538a2din02", "name": "dds-3a98-wcc"}, "fail_reason": %s}}"""
                .formatted(ID, s.status(), progress(s, "\"\""), failReason(s, "null"));
    }
}
