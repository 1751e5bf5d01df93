package dev.taskwatch.taskcenter;

import static dev.taskwatch.taskcenter.Recorded.OBSERVED;
import static dev.taskwatch.taskcenter.Recorded.body;
import static dev.taskwatch.taskcenter.Recorded.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiDbDialectTest {

    private static final String PROJECT = "0549b4a43100d4f32f51c01c2fe4acdb";
    private final GeminiDbDialect dialect = new GeminiDbDialect();
    private final Target target = Recorded.target(Service.GEMINIDB, PROJECT);
    private final String source = "https://gaussdb-nosql.eu-de.otc.t-systems.com/v3/" + PROJECT + "/jobs";

    @Test
    void shouldParseEveryFieldOfTheSpecExample() throws Exception {
        TaskPage page = dialect.parseList(target, body("geminidb", "list-jobs.json"), 100, OBSERVED, source);

        assertThat(page.totalCount()).isEqualTo(1);
        // Running: end_time is reported but not trusted; fail_reason "" becomes null; "14%" becomes 14.
        assertThat(page.tasks()).containsExactly(
                expected(target, "6f85e061-04dd-42e7-86d6-d3b1e40aac2e", "CreateCassandra", TaskStatus.RUNNING,
                        "Running")
                        .setProgressPercent(14)
                        .setCreatedAt(Instant.parse("2023-09-12T06:44:01Z"))
                        .setInstanceId("27a045b6bf9e46f691f81366d398cb04in06")
                        .setInstanceName("nosql-12f5")
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldKeepEndTimeOfTerminalJobsAndConvertOffsetsToUtc() throws Exception {
        String body = """
                {"total_count": 3, "jobs": [
                  {"id": "a", "name": "  BackupInstance ", "status": "Completed", "start_time": "2023-09-12T14:44:01+0800",
                   "end_time": "2023-09-12T15:00:00+0800", "progress": "", "instance": {"id": "i", "name": "n"}, "fail_reason": null},
                  {"id": "b", "name": "RestartNode", "status": "Canceled", "start_time": "2023-09-12T06:44:01Z",
                   "end_time": "2023-09-12T07:00:00+00:00", "progress": null, "fail_reason": "  "},
                  {"id": "c", "name": "ModifyPort", "status": "Pending", "start_time": "2023-09-12T06:44:01+0000",
                   "end_time": "2023-09-12T07:00:00+0000", "progress": "0%"}
                ]}""";

        List<TaskSnapshot> tasks = dialect.parseList(target, body, 100, OBSERVED, source).tasks();

        assertThat(tasks).containsExactly(
                expected(target, "a", "BackupInstance", TaskStatus.COMPLETED, "Completed")
                        .setCreatedAt(Instant.parse("2023-09-12T06:44:01Z"))
                        .setEndedAt(Instant.parse("2023-09-12T07:00:00Z"))
                        .setInstanceId("i").setInstanceName("n").setSource(source).build(),
                expected(target, "b", "RestartNode", TaskStatus.CANCELED, "Canceled")
                        .setCreatedAt(Instant.parse("2023-09-12T06:44:01Z"))
                        .setEndedAt(Instant.parse("2023-09-12T07:00:00Z"))
                        .setSource(source).build(),
                expected(target, "c", "ModifyPort", TaskStatus.PENDING, "Pending")
                        .setProgressPercent(0)
                        .setCreatedAt(Instant.parse("2023-09-12T06:44:01Z"))
                        .setSource(source).build());
    }

    @Test
    void shouldBuildListRequestWithPlusZeroOffsetTimesAndAcceptedLimit() {
        TimeWindow window = new TimeWindow(Instant.parse("2026-11-01T10:15:30.999Z"),
                Instant.parse("2026-11-24T12:00:00.5Z"));

        ApiRequest request = dialect.listRequest(target, window, 40, 20);

        Map<String, String> query = new LinkedHashMap<>();
        query.put("start_time", "2026-11-01T10:15:30+0000");
        query.put("end_time", "2026-11-24T12:00:00+0000");
        query.put("offset", "40");
        query.put("limit", "20");
        assertThat(request).isEqualTo(new ApiRequest("GET", "/v3/" + PROJECT + "/jobs", query));
        assertThat(List.copyOf(request.query().keySet())).containsExactly("start_time", "end_time", "offset", "limit");
        assertThat(dialect.listRequest(target, window, 0, 50).query()).containsEntry("offset", "0");
    }

    @Test
    void shouldAcceptOnlyPageSizesTenTwentyAndFifty() {
        assertThat(dialect.maxPageSize()).isEqualTo(50);
        assertThat(dialect.pageSize(1)).isEqualTo(10);
        assertThat(dialect.pageSize(14)).isEqualTo(10);
        assertThat(dialect.pageSize(15)).isEqualTo(20);
        assertThat(dialect.pageSize(34)).isEqualTo(20);
        assertThat(dialect.pageSize(35)).isEqualTo(50);
        assertThat(dialect.pageSize(100)).isEqualTo(50);
        TimeWindow window = new TimeWindow(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z"));
        for (int limit : new int[] {10, 20, 50}) {
            assertThat(dialect.listRequest(target, window, 0, limit).query()).containsEntry("limit", "" + limit);
        }
        assertThatThrownBy(() -> dialect.listRequest(target, window, 0, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit 100").hasMessageContaining("nearest accepted: 50");
        assertThatThrownBy(() -> dialect.listRequest(target, window, 0, 25))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dialect.listRequest(target, window, -1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
    }

    @Test
    void shouldRejectWindowsLongerThanThirtyDaysOrEmpty() {
        Instant to = Instant.parse("2026-11-24T12:00:00Z");
        assertThat(dialect.maxWindowSpan()).isEqualTo(Duration.ofDays(30));
        assertThat(dialect.listRequest(target, new TimeWindow(to.minus(Duration.ofDays(30)), to), 0, 50).query())
                .containsEntry("start_time", "2026-10-25T12:00:00+0000");
        assertThatThrownBy(() -> dialect.listRequest(target,
                new TimeWindow(to.minus(Duration.ofDays(30)).minusMillis(1), to), 0, 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximum");
        assertThatThrownBy(() -> dialect.listRequest(target,
                new TimeWindow(to, to.plusMillis(300)), 0, 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("later than the start");
    }

    @Test
    void shouldReportMissingTotalCountAsNull() throws Exception {
        TaskPage page = dialect.parseList(target, "{\"jobs\": []}", 100, OBSERVED, source);
        assertThat(page.tasks()).isEmpty();
        assertThat(page.totalCount()).isNull();
    }

    /**
     * Get-by-id is the list filtered by id, read as jobs[0]: huaweicloud/huaweicloud-sdk-go-v3
     * services/gaussdbfornosql/v3/model/model_list_jobs_request.go (query id) and model_list_jobs_response.go.
     */
    @Test
    void shouldGetOneJobByIdThroughTheIdFilteredListAndReadJobsZero() throws Exception {
        String id = "c5ad9e5e-4a3e-4b1f-a2b7-8a5f6a0f6d12";
        assertThat(dialect.listing()).containsSame(dialect);
        assertThat(dialect.getById()).containsSame(dialect);
        assertThat(dialect.getRequest(target, " " + id)).isEqualTo(new ApiRequest("GET", "/v3/" + PROJECT + "/jobs",
                Map.of("id", id)));

        assertThat(dialect.parseGet(target, id, body("geminidb", "get-job-by-id.json"), OBSERVED, source)).contains(
                expected(target, id, "EnlargeInstanceVolume", TaskStatus.COMPLETED, "Completed")
                        .setCreatedAt(Instant.parse("2026-11-24T10:02:03Z"))
                        .setEndedAt(Instant.parse("2026-11-24T10:09:47Z"))
                        .setInstanceId("f4b7b9e4b1a34c7f9c0c0a6a0c6e5f8ein06")
                        .setInstanceName("nosql-prod-1")
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldReadAnEmptyIdFilteredListAsNotFoundAndRefuseAListOfOtherJobs() throws Exception {
        assertThat(dialect.parseGet(target, "x", "{\"jobs\": [], \"total_count\": 0}", OBSERVED, source)).isEmpty();
        assertThat(dialect.isNotFound(404, "")).isTrue();
        assertThat(dialect.isNotFound(400, "{\"error_code\": \"DBS.239031\", \"error_msg\": \"The job does not "
                + "exist.\"}")).isTrue();
        assertThat(dialect.isNotFound(401, "{\"error_code\": \"APIGW.0301\", \"error_msg\": \"Incorrect IAM "
                + "authentication information\"}")).isFalse();
        assertThatThrownBy(() -> dialect.parseGet(target, "other", body("geminidb", "get-job-by-id.json"), OBSERVED,
                source)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("jobs holds 1 task(s) but not 'other'");
    }

    @Test
    void shouldDeadLetterAnUnreadableJobFoundById() {
        String element = "{\"id\": \"j\", \"name\": null, \"status\": \"Running\"}";
        assertThatThrownBy(() -> dialect.parseGet(target, "j", "{\"jobs\": [" + element + "]}", OBSERVED, source))
                .isInstanceOfSatisfying(TaskRejectedException.class, e -> assertThat(e.reject())
                        .isEqualTo(new TaskReject("j", "jobs[0].name is missing", element)));
    }

    @Test
    void shouldRefuseATargetOfAnotherService() {
        Target dds = Recorded.target(Service.DDS, PROJECT);
        TimeWindow window = new TimeWindow(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z"));
        assertThatThrownBy(() -> dialect.listRequest(dds, window, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a dds target");
    }
}
