package dev.taskwatch.taskcenter;

import static dev.taskwatch.taskcenter.Recorded.OBSERVED;
import static dev.taskwatch.taskcenter.Recorded.expected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Answers in the shapes of the vendor's generated SDK models (the second source besides the five documents), each
 * model cited by repository and path; every shape is read by the real dialect, as a list element or as the job of a
 * get-by-id answer. The SDK marks most fields optional ({@code omitempty}, pointers), so each shape is tried with
 * every optional field absent and then null; progress as {@code ""}, {@code "60%"} and {@code "60"}; the offsets
 * {@code +0800}, {@code +0100} and {@code +0000}; and statuses beyond the documented three.
 */
class SdkModelShapesTest {

    private static final String SDK = "huaweicloud/huaweicloud-sdk-go-v3 ";

    /**
     * One SDK model: where it sits in an answer and what its fields are called.
     *
     * @param model    repository and path of the SDK model file
     * @param optional the optional fields with a value for the "present" case, in field order
     */
    record Shape(String model, Service service, boolean list, String arrayField, String idField, String progressField,
            String createdField, Map<String, String> optional) {

        @Override
        public String toString() {
            return model;
        }

        String body(String element) {
            return list ? "{\"" + arrayField + "\": [" + element + "], \"total_count\": 1}" : "{\"job\": " + element + "}";
        }

        String element(String status, Map<String, String> fields) {
            Map<String, String> all = new LinkedHashMap<>();
            all.put(idField, "\"j-1\"");
            all.put("name", "\"RestartInstance\"");
            all.put("status", "\"" + status + "\"");
            all.putAll(fields);
            return all.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                    .collect(Collectors.joining(", ", "{", "}"));
        }

        TaskSnapshot read(String body) throws MalformedResponseException {
            Target target = Recorded.target(service, "p");
            TaskCenterDialect dialect = Dialects.of(service);
            if (list) {
                TaskPage page = dialect.listing().orElseThrow().parseList(target, body, 10, OBSERVED, "src");
                assertThat(page.rejects()).as("rejects of " + body).isEmpty();
                assertThat(page.tasks()).hasSize(1);
                return page.tasks().get(0);
            }
            return dialect.getById().orElseThrow().parseGet(target, "j-1", body, OBSERVED, "src").orElseThrow();
        }

        TaskSnapshot read(String status, Map<String, String> fields) throws MalformedResponseException {
            return read(body(element(status, fields)));
        }
    }

    private static final String INSTANCE = "{\"id\": \"i-1\", \"name\": \"db1\"}";

    static Stream<Shape> shapes() {
        return Stream.of(
                new Shape(SDK + "services/gaussdbfornosql/v3/model/model_job_detail.go (ListJobsResponse.jobs)",
                        Service.GEMINIDB, true, "jobs", "id", "progress", "start_time", fields(
                        "start_time", "\"2026-11-24T10:00:00+0000\"", "end_time", "\"2026-11-24T10:05:00+0000\"",
                        "progress", "\"60%\"", "instance", INSTANCE, "fail_reason", "\"\"")),
                new Shape(SDK + "services/gaussdbfornosql/v3/model/model_job_detail.go (get-by-id: jobs?id=, jobs[0])",
                        Service.GEMINIDB, true, "jobs", "id", "progress", "start_time", fields(
                        "start_time", "\"2026-11-24T10:00:00+0000\"", "progress", "\"60%\"", "instance", INSTANCE)),
                new Shape(SDK + "services/gaussdbforopengauss/v3/model/model_task_detail_result.go "
                        + "(ListTasksResponse.tasks)", Service.OPENGAUSS, true, "tasks", "job_id", "process",
                        "created_at", fields(
                        "instance_info", "{\"instance_id\": \"i-1\", \"instance_name\": \"db1\", "
                                + "\"instance_status\": \"ACTIVE\"}",
                        "process", "\"60%\"", "created_at", "\"2026-11-24T10:00:00+0000\"",
                        "ended_at", "\"2026-11-24T10:05:00+0000\"", "fail_reason", "\"\"")),
                new Shape(SDK + "services/gaussdbforopengauss/v3/model/model_job_detail.go (ShowJobDetailResponse.job)",
                        Service.OPENGAUSS, false, null, "id", "progress", "created", fields(
                        "created", "\"2026-11-24T10:00:00+0000\"", "ended", "\"\"", "progress", "\"60%\"",
                        "instance", INSTANCE, "fail_reason", "\"\"")),
                new Shape(SDK + "services/dds/v3/model/model_job_info.go (ListTasksResponse.jobs)", Service.DDS,
                        true, "jobs", "id", "progress", "created_at", fields(
                        "instance_id", "\"i-1\"", "instance_name", "\"db1\"", "progress", "\"60%\"",
                        "fail_reason", "\"\"", "created_at", "\"2026-11-24T10:00:00+0000\"",
                        "ended_at", "\"2026-11-24T10:05:00+0000\"")),
                new Shape(SDK + "services/dds/v3/model/model_job_detail.go (ShowJobDetailResponse.job)", Service.DDS,
                        false, null, "id", "progress", "created", fields(
                        "created", "\"2026-11-24T10:00:00+0000\"", "ended", "\"\"", "progress", "\"60%\"",
                        "instance", INSTANCE, "fail_reason", "\"\"")),
                new Shape(SDK + "services/gaussdb/v3/model/model_get_job_info_detail.go "
                        + "(ShowGaussMySqlJobInfoResponse.job)", Service.TAURUSDB, false, null, "id", "process",
                        "created", fields(
                        "created", "\"2026-11-24T10:00:00+0000\"", "ended", "\"\"", "process", "\"60%\"",
                        "instance", INSTANCE, "entities", "{\"instance\": {\"type\": \"Cluster\"}}",
                        "fail_reason", "\"\"")));
    }

    private static Map<String, String> fields(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static TaskSnapshot bare(Shape shape) {
        return expected(Recorded.target(shape.service(), "p"), "j-1", "RestartInstance", TaskStatus.RUNNING,
                "Running").setSource("src").build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void shouldReadATaskWithEveryOptionalFieldAbsent(Shape shape) throws Exception {
        assertThat(shape.read("Running", Map.of())).isEqualTo(bare(shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void shouldReadATaskWithEveryOptionalFieldNull(Shape shape) throws Exception {
        Map<String, String> nulls = new LinkedHashMap<>();
        shape.optional().keySet().forEach(k -> nulls.put(k, "null"));

        assertThat(shape.read("Running", nulls)).isEqualTo(bare(shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void shouldReadATaskWithEveryOptionalFieldPresent(Shape shape) throws Exception {
        TaskSnapshot s = shape.read("Completed", shape.optional());

        assertThat(s.getStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(s.getCreatedAt()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(s.getProgressPercent()).isEqualTo(60);
        assertThat(s.getFailReason()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void shouldReadProgressEmptyWithPercentAndBare(Shape shape) throws Exception {
        assertThat(shape.read("Running", Map.of(shape.progressField(), "\"\"")).getProgressPercent()).isNull();
        assertThat(shape.read("Running", Map.of(shape.progressField(), "\"60%\"")).getProgressPercent()).isEqualTo(60);
        assertThat(shape.read("Running", Map.of(shape.progressField(), "\"60\"")).getProgressPercent()).isEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void shouldReadTheOffsetsTheSdkDocumentsPlusEightPlusOneAndZero(Shape shape) throws Exception {
        Map<String, Instant> cases = Map.of(
                "2026-11-24T18:00:00+0800", Instant.parse("2026-11-24T10:00:00Z"),
                "2026-11-24T11:00:00+0100", Instant.parse("2026-11-24T10:00:00Z"),
                "2026-11-24T10:00:00+0000", Instant.parse("2026-11-24T10:00:00Z"));
        for (Map.Entry<String, Instant> c : cases.entrySet()) {
            assertThat(shape.read("Running", Map.of(shape.createdField(), "\"" + c.getKey() + "\"")).getCreatedAt())
                    .as(c.getKey()).isEqualTo(c.getValue());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void shouldKeepStatusesBeyondTheDocumentedThreeAsRawStatus(Shape shape) throws Exception {
        // GeminiDB and TaurusDB document Pending and Canceled; TaurusDB's enum also has Unauthorized
        Map<String, TaskStatus> statuses = Map.of("Pending", TaskStatus.PENDING, "Canceled", TaskStatus.CANCELED,
                "Unauthorized", TaskStatus.PENDING, "Suspended", TaskStatus.UNKNOWN, "running", TaskStatus.RUNNING);
        for (Map.Entry<String, TaskStatus> c : statuses.entrySet()) {
            TaskSnapshot s = shape.read(c.getKey(), Map.of());
            assertThat(s.getStatus()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(s.getRawStatus()).isEqualTo(c.getKey());
        }
    }

    /** model_get_job_info_detail.go: "created" is empty while the instance is being created. */
    @org.junit.jupiter.api.Test
    void shouldReadATaurusDbJobWhoseCreatedIsEmptyWhileTheInstanceIsCreated() throws Exception {
        Shape taurus = shapes().filter(s -> s.service() == Service.TAURUSDB).findFirst().orElseThrow();

        TaskSnapshot s = taurus.read("Running", Map.of("created", "\"\"", "ended", "\"\"", "process", "\"\""));

        assertThat(s.getCreatedAt()).isNull();
        assertThat(s.getEndedAt()).isNull();
        assertThat(s.getProgressPercent()).isNull();
    }

    /**
     * The SDK's list responses mark the task array {@code omitempty} (model_list_jobs_response.go,
     * model_list_tasks_response.go of gaussdbfornosql, gaussdbforopengauss and dds): an empty listing may come as
     * {@code {"total_count": 0}} alone.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("listServices")
    void shouldReadAnEmptyListingWhoseArrayIsLeftOut(Service service) throws Exception {
        Target target = Recorded.target(service, "p");
        ListingDialect dialect = Dialects.of(service).listing().orElseThrow();

        TaskPage page = dialect.parseList(target, "{\"total_count\": 0}", 10, OBSERVED, "src");

        assertThat(page.tasks()).isEmpty();
        assertThat(page.totalCount()).isZero();
    }

    static List<Service> listServices() {
        return List.of(Service.GEMINIDB, Service.OPENGAUSS, Service.DDS);
    }
}
