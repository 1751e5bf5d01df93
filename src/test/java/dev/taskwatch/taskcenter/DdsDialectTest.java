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
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DdsDialectTest {

    private static final String PROJECT = "0549b4a43100d4f32f51c01c2fe4acdb";
    private final DdsDialect dialect = new DdsDialect();
    private final Target target = Recorded.target(Service.DDS, PROJECT);
    private final String source = "https://dds.eu-de.otc.t-systems.com/v3/" + PROJECT + "/jobs";

    @Test
    void shouldParseEveryFieldOfTheListExampleWithoutTotalCount() throws Exception {
        TaskPage page = dialect.parseList(target, body("dds", "list-jobs.json"), 100, OBSERVED, source);

        assertThat(page.totalCount()).isNull();
        assertThat(page.tasks()).containsExactly(
                expected(target, "2f406db7-bdc4-402f-9dc4-2c1b094a5f93", "RestartReplicaSetInstance",
                        TaskStatus.COMPLETED, "Completed")
                        .setCreatedAt(Instant.parse("2022-09-05T06:24:14Z"))
                        .setEndedAt(Instant.parse("2022-09-05T06:25:43Z"))
                        .setInstanceId("1f311e6a299345d7bbc878874844e233in02")
                        .setInstanceName("dds-6be2-fwyrestore")
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldParseEveryFieldOfTheCompletedGetExample() throws Exception {
        String id = "f85104b5-4a9c-4e0f-9505-fc5409d8f7ae";
        assertThat(dialect.parseGet(target, id, body("dds", "get-job-completed.json"), OBSERVED, source))
                .contains(expected(target, id, "Create_MongoDB", TaskStatus.COMPLETED, "Completed")
                        .setCreatedAt(Instant.parse("2021-07-12T09:22:04Z"))
                        .setEndedAt(Instant.parse("2021-07-12T10:10:13Z"))
                        .setInstanceId("d87f5b33049144ec95f0cab0a5f22cfbin02")
                        .setInstanceName("dds-5ff4-sh")
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldParseEveryFieldOfTheRunningGetExampleIgnoringItsEndTime() throws Exception {
        String id = "9d10bfd1-affb-49c3-b977-298950a8d6fa";
        assertThat(dialect.parseGet(target, id, body("dds", "get-job-running.json"), OBSERVED, source))
                .contains(expected(target, id, "Create_MongoDB", TaskStatus.RUNNING, "Running")
                        .setProgressPercent(9)
                        .setCreatedAt(Instant.parse("2021-07-13T07:28:43Z"))
                        .setInstanceId("cf538a2dd8ec4b26860b27060902712fin02")
                        .setInstanceName("dds-3a98-wcc")
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldParseEveryFieldOfTheFailedGetExample() throws Exception {
        String id = "a03b1b8a-b756-467c-8a49-38720c3d23ec";
        assertThat(dialect.parseGet(target, id, body("dds", "get-job-failed.json"), OBSERVED, source))
                .contains(expected(target, id, "Restore_MongoDB_Replica", TaskStatus.FAILED, "Failed")
                        .setCreatedAt(Instant.parse("2021-07-13T04:55:58Z"))
                        .setEndedAt(Instant.parse("2021-07-13T05:20:04Z"))
                        .setInstanceId("7beb15d5db9c4742b7c817789244844ein02")
                        .setInstanceName("lenn-v3-restore-4")
                        .setFailReason("Failed to upgrade the DB Agent.")
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldBuildListRequestWithMandatoryWindowAndLeaveOutZeroOffset() {
        TimeWindow window = new TimeWindow(Instant.parse("2026-10-25T12:00:00Z"), Instant.parse("2026-11-24T12:00:00Z"));

        ApiRequest first = dialect.listRequest(target, window, 0, 100);
        ApiRequest second = dialect.listRequest(target, window, 100, 100);

        Map<String, String> query = new LinkedHashMap<>();
        query.put("start_time", "2026-10-25T12:00:00+0000");
        query.put("end_time", "2026-11-24T12:00:00+0000");
        query.put("limit", "100");
        assertThat(first).isEqualTo(new ApiRequest("GET", "/v3/" + PROJECT + "/jobs", query));
        assertThat(List.copyOf(second.query().keySet())).containsExactly("start_time", "end_time", "offset", "limit");
        assertThat(second.query()).containsEntry("offset", "100");
    }

    @Test
    void shouldRejectSpanOverThirtyDaysAndLimitsOutsideOneToHundred() {
        Instant to = Instant.parse("2026-11-24T12:00:00Z");
        assertThat(dialect.maxWindowSpan()).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> dialect.listRequest(target, new TimeWindow(to.minus(Duration.ofDays(31)), to), 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dds list window").hasMessageContaining("maximum");
        TimeWindow window = new TimeWindow(to.minus(Duration.ofDays(1)), to);
        assertThatThrownBy(() -> dialect.listRequest(target, window, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dialect.listRequest(target, window, 0, 101))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dialect.pageSize(1000)).isEqualTo(100);
        assertThat(dialect.maxPageSize()).isEqualTo(100);
    }

    @Test
    void shouldBuildGetRequestWithIdOnly() {
        assertThat(dialect.getRequest(target, "a9767ede-fe0f-4888-9003-e843a4c90514")).isEqualTo(
                new ApiRequest("GET", "/v3/" + PROJECT + "/jobs", Map.of("id", "a9767ede-fe0f-4888-9003-e843a4c90514")));
        assertThatThrownBy(() -> dialect.getRequest(target, " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDecideNotFoundFromTheErrorAnswerAndReadA2xxWithoutJobAsEmpty() throws Exception {
        String body = "{\"error_code\": \"DBS.200823\", \"error_msg\": \"The job does not exist.\"}";
        assertThat(dialect.isNotFound(400, body)).isTrue();
        assertThat(dialect.isNotFound(404, "")).isTrue();
        assertThat(dialect.isNotFound(500, "{\"error_code\": \"DBS.200001\", \"error_msg\": \"Internal error\"}"))
                .isFalse();
        assertThat(dialect.parseGet(target, "x", "{\"job\": null}", OBSERVED, source)).isEqualTo(Optional.empty());
        assertThat(dialect.parseGet(target, "x", "{}", OBSERVED, source)).isEmpty();
    }

    @Test
    void shouldRefuseAJobWithAnotherId() {
        assertThatThrownBy(() -> dialect.parseGet(target, "other-id", body("dds", "get-job-completed.json"),
                OBSERVED, source))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("job.id is 'f85104b5-4a9c-4e0f-9505-fc5409d8f7ae' but task 'other-id'");
    }

    @Test
    void shouldReportAListWithoutJobsArray() {
        // {"total_count": 0} alone is an empty listing (SdkModelShapesTest); without a count there is no listing
        assertThatThrownBy(() -> dialect.parseList(target, "{\"total_count\": 3}", 100, OBSERVED, source))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessage("dds response: jobs is missing; body starts: {\"total_count\": 3}");
        assertThatThrownBy(() -> dialect.parseList(target, "{}", 100, OBSERVED, source))
                .isInstanceOf(MalformedResponseException.class).hasMessageContaining("jobs is missing");
    }
}
