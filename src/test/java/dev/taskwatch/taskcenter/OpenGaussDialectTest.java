package dev.taskwatch.taskcenter;

import static dev.taskwatch.taskcenter.Recorded.OBSERVED;
import static dev.taskwatch.taskcenter.Recorded.body;
import static dev.taskwatch.taskcenter.Recorded.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenGaussDialectTest {

    private static final String PROJECT = "0611f1bd8b00d5d32f17c017f15b599f";
    private final OpenGaussDialect dialect = new OpenGaussDialect();
    private final Target target = Recorded.target(Service.OPENGAUSS, PROJECT);
    private final String source = "https://gaussdb.eu-de.otc.t-systems.com/v3/" + PROJECT + "/tasks";

    @Test
    void shouldParseEveryFieldOfTheSpecExample() throws Exception {
        TaskPage page = dialect.parseList(target, body("opengauss", "list-tasks.json"), 100, OBSERVED, source);

        assertThat(page.totalCount()).isEqualTo(2);
        // +0800 timestamps become UTC; process null means no progress; instance_status is kept.
        assertThat(page.tasks()).containsExactly(
                expected(target, "03bc055a-135c-4245-8bd8-b0bc6d3350b3", "CreateGaussDBV5Instance",
                        TaskStatus.FAILED, "Failed")
                        .setCreatedAt(Instant.parse("2022-08-05T00:15:07Z"))
                        .setEndedAt(Instant.parse("2022-08-08T19:06:52Z"))
                        .setInstanceId("ce2dce50f365430abe161bab79495a6ein14")
                        .setInstanceName("gauss-6568-zzh")
                        .setInstanceStatus("creating")
                        .setFailReason("An exception occurs when the ECS processes services.")
                        .setSource(source)
                        .build(),
                expected(target, "2cc16e0b-75ab-4a28-9453-16517e990bba", "DeleteGaussDBV5Instance",
                        TaskStatus.COMPLETED, "Completed")
                        .setCreatedAt(Instant.parse("2022-08-06T01:15:07Z"))
                        .setEndedAt(Instant.parse("2022-08-09T19:06:52Z"))
                        .setInstanceId("20ba433bd7ee40da9cf35064f04f9e4cin14")
                        .setInstanceName("gauss-7875-lt-m")
                        .setInstanceStatus("deleted")
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldSayItsByIdAnswerHasNoInstanceStatusWhenItsListHasOne() throws Exception {
        String id = "a4a7b2b4-6c0d-4b5c-9d36-1c5b0f1e2b77";

        assertThat(dialect.parseGet(target, id, body("opengauss", "get-job-running.json"), OBSERVED, source)
                .orElseThrow().getInstanceStatus()).isNull();
        assertThat(dialect.getCarriesInstanceStatus()).isFalse();
    }

    @Test
    void shouldIgnoreEndTimeOfRunningTaskAndParseProcess() throws Exception {
        String body = """
                {"tasks": [{"job_id": "j1", "name": "ResizeGaussDBV5Flavor", "status": "running", "process": "60%",
                  "fail_reason": "", "created_at": "2022-08-05T08:15:07+0800", "ended_at": "2022-08-05T08:15:09+0800",
                  "instance_info": {"instance_id": "i1", "instance_name": " db1 ", "instance_status": "modifying"}}],
                 "total_count": 1}""";

        assertThat(dialect.parseList(target, body, 100, OBSERVED, source).tasks()).containsExactly(
                expected(target, "j1", "ResizeGaussDBV5Flavor", TaskStatus.RUNNING, "running")
                        .setProgressPercent(60)
                        .setCreatedAt(Instant.parse("2022-08-05T00:15:07Z"))
                        .setInstanceId("i1").setInstanceName("db1").setInstanceStatus("modifying")
                        .setSource(source).build());
    }

    @Test
    void shouldBuildListRequestWithUnixMillisecondWindow() {
        TimeWindow window = new TimeWindow(Instant.parse("2026-11-01T10:15:30.123Z"),
                Instant.parse("2026-11-24T12:00:00.456Z"));

        ApiRequest request = dialect.listRequest(target, window, 0, 100);

        Map<String, String> query = new LinkedHashMap<>();
        query.put("start_time", Long.toString(Instant.parse("2026-11-01T10:15:30.123Z").toEpochMilli()));
        query.put("end_time", "1795521600456");
        query.put("offset", "0");
        query.put("limit", "100");
        assertThat(request).isEqualTo(new ApiRequest("GET", "/v3/" + PROJECT + "/tasks", query));
        assertThat(List.copyOf(request.query().keySet())).containsExactly("start_time", "end_time", "offset", "limit");
        assertThat(query.get("start_time")).isEqualTo("1793528130123");
    }

    @Test
    void shouldAcceptLimitsFromOneToHundred() {
        TimeWindow window = new TimeWindow(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(dialect.maxPageSize()).isEqualTo(100);
        assertThat(dialect.pageSize(0)).isEqualTo(1);
        assertThat(dialect.pageSize(37)).isEqualTo(37);
        assertThat(dialect.pageSize(500)).isEqualTo(100);
        assertThat(dialect.listRequest(target, window, 7, 1).query()).containsEntry("limit", "1")
                .containsEntry("offset", "7");
        assertThatThrownBy(() -> dialect.listRequest(target, window, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dialect.listRequest(target, window, 0, 101))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dialect.listRequest(target,
                new TimeWindow(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z")), 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximum of PT720H");
        assertThat(dialect.maxWindowSpan()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void shouldNameTheFieldWhenInstanceInfoHasTheWrongType() throws Exception {
        String element = "{\"job_id\": \"j\", \"name\": \"n\", \"status\": \"Running\", \"instance_info\": \"x\"}";
        TaskPage page = dialect.parseList(target, "{\"tasks\": [" + element + "]}", 100, OBSERVED, source);

        assertThat(page.tasks()).isEmpty();
        assertThat(page.rejects()).containsExactly(new TaskReject("j",
                "tasks[0].instance_info is the string \"x\", expected an object", element));
    }

    /** Shape: huaweicloud/huaweicloud-sdk-go-v3 services/gaussdbforopengauss/v3/model/model_job_detail.go. */
    @Test
    void shouldReadTheShowJobDetailAnswerInTheSdkJobDetailShape() throws Exception {
        String getSource = "https://gaussdb.eu-de.otc.t-systems.com/v3/" + PROJECT + "/jobs";
        assertThat(dialect.getById()).containsSame(dialect);
        assertThat(dialect.getRequest(target, "a4a7b2b4-6c0d-4b5c-9d36-1c5b0f1e2b77")).isEqualTo(new ApiRequest(
                "GET", "/v3/" + PROJECT + "/jobs", Map.of("id", "a4a7b2b4-6c0d-4b5c-9d36-1c5b0f1e2b77")));

        assertThat(dialect.parseGet(target, "a4a7b2b4-6c0d-4b5c-9d36-1c5b0f1e2b77",
                body("opengauss", "get-job-running.json"), OBSERVED, getSource)).contains(
                expected(target, "a4a7b2b4-6c0d-4b5c-9d36-1c5b0f1e2b77", "CreateGaussDBV5Instance",
                        TaskStatus.RUNNING, "Running")
                        .setProgressPercent(60)
                        .setCreatedAt(Instant.parse("2026-11-24T10:40:12Z"))
                        .setInstanceId("ce2dce50f365430abe161bab79495a6ein14")
                        .setInstanceName("gauss-6568-zzh")
                        .setSource(getSource)
                        .build());
    }

    @Test
    void shouldTreatAnUnknownJobErrorAsNotFoundAndAJoblessAnswerAsEmpty() throws Exception {
        assertThat(dialect.isNotFound(400, "{\"error_code\": \"DBS.280238\", \"error_msg\": \"The job does not "
                + "exist.\"}")).isTrue();
        assertThat(dialect.isNotFound(404, "")).isTrue();
        assertThat(dialect.isNotFound(403, "{\"error_code\": \"DBS.280004\", \"error_msg\": \"No permission\"}"))
                .isFalse();
        assertThat(dialect.isNotFound(500, "{\"error_code\": \"DBS.200001\", \"error_msg\": \"Internal error\"}"))
                .isFalse();
        assertThat(dialect.parseGet(target, "x", "{\"job\": null}", OBSERVED, source)).isEmpty();
        assertThatThrownBy(() -> dialect.parseGet(target, "other", body("opengauss", "get-job-running.json"),
                OBSERVED, source)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("but task 'other' was asked for");
    }
}
