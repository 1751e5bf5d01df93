package dev.taskwatch.taskcenter;

import static dev.taskwatch.taskcenter.Recorded.OBSERVED;
import static dev.taskwatch.taskcenter.Recorded.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * One bad task element does not make a response unreadable: the good tasks come back together with a reject that
 * holds a bounded raw excerpt of the bad element, the reason and the task id when readable. A page longer than its
 * limit, however, is malformed as a whole, and reading stops at the first element too many.
 */
class BrokenTaskElementTest {

    private final DdsDialect dds = new DdsDialect();
    private final Target ddsTarget = Recorded.target(Service.DDS, "p");
    private final GeminiDbDialect gemini = new GeminiDbDialect();
    private final Target geminiTarget = Recorded.target(Service.GEMINIDB, "p");

    @Test
    void shouldReturnTheGoodTasksOfARecordedDdsPageAndRejectItsBrokenElements() throws Exception {
        TaskPage page = dds.parseList(ddsTarget, body("dds", "list-jobs-one-broken.json"), 10, OBSERVED, "src");

        assertThat(page.tasks()).extracting(TaskSnapshot::getTaskId).containsExactly(
                "7d3c1b20-5a0e-4a55-9d46-0f7c2b1e6a01", "2f406db7-bdc4-402f-9dc4-2c1b094a5f93",
                "c1d2e3f4-0000-4000-8000-000000000004");
        TaskSnapshot running = page.tasks().get(0);
        assertThat(running.getName()).as("stray whitespace trimmed").isEqualTo("RestartReplicaSetInstance");
        assertThat(running.getCreatedAt()).as("+0800 offset").isEqualTo(Instant.parse("2022-09-05T06:24:14Z"));
        assertThat(running.getProgressPercent()).isEqualTo(14);
        assertThat(running.getFailReason()).isNull();
        assertThat(page.tasks().get(1).getProgressPercent()).as("null progress").isNull();
        assertThat(page.tasks().get(1).getFailReason()).as("empty fail_reason").isNull();
        assertThat(page.tasks().get(2).getStatus()).as("unknown status kept").isEqualTo(TaskStatus.UNKNOWN);
        assertThat(page.tasks().get(2).getRawStatus()).isEqualTo("Migrating");

        assertThat(page.rejects()).hasSize(2);
        TaskReject badTimestamp = page.rejects().get(0);
        assertThat(badTimestamp.taskId()).isEqualTo("0b9a4c55-2f1e-4c0e-8d2a-6e5f4d3c2b10");
        assertThat(badTimestamp.reason()).startsWith("jobs[1].created_at: timestamp 'yesterday' is not of the form");
        assertThat(badTimestamp.excerpt()).startsWith("{ \"id\": \"0b9a4c55-").endsWith("\"fail_reason\": \"\" }");
        TaskReject notAnObject = page.rejects().get(1);
        assertThat(notAnObject).isEqualTo(new TaskReject(null, "jobs[4] is the number 7, expected an object", "7"));
        assertThat(page.elements()).as("paging counts every element").isEqualTo(5);
    }

    @Test
    void shouldNameTheFieldOfAMistypedElementAndStillReadTheElementsAfterIt() throws Exception {
        String bad = "{\"id\": \"b\", \"name\": \"n\", \"status\": {\"nested\": [1, 2]}, \"instance\": {\"id\": 5}}";
        String body = "{\"total_count\": 3, \"jobs\": [" + job("a", "Running") + ", " + bad + ", "
                + job("c", "Completed") + "]}";

        TaskPage page = gemini.parseList(geminiTarget, body, 10, OBSERVED, "src");

        assertThat(page.tasks()).extracting(TaskSnapshot::getTaskId).containsExactly("a", "c");
        assertThat(page.rejects()).containsExactly(
                new TaskReject("b", "jobs[1].status is an object, expected a string", bad));
        assertThat(page.totalCount()).isEqualTo(3);
    }

    @Test
    void shouldBoundTheExcerptOfAHugeBrokenElement() throws Exception {
        String bad = "{\"id\": \"big\", \"name\": \"" + "x".repeat(100_000) + "\", \"status\": \"Running\", "
                + "\"progress\": \"250%\"}";
        TaskPage page = gemini.parseList(geminiTarget, "{\"jobs\": [" + bad + "]}", 10, OBSERVED, "src");

        TaskReject reject = page.rejects().get(0);
        assertThat(reject.taskId()).isEqualTo("big");
        assertThat(reject.reason()).isEqualTo("jobs[0].progress: progress '250%' is outside 0..100");
        assertThat(reject.excerpt()).hasSize(TaskReject.MAX_EXCERPT).isEqualTo(bad.substring(0, TaskReject.MAX_EXCERPT));
    }

    @Test
    void shouldRejectABrokenGetByIdJobWithItsExcerptAndId() {
        String body = body("taurusdb", "get-job-broken-progress.json");

        assertThatThrownBy(() -> new TaurusDbDialect().parseGet(Recorded.target(Service.TAURUSDB, "p"),
                "31b8ae23-c687-4d80-b7b4-42a66c9bb886", body, OBSERVED, "src"))
                .isInstanceOfSatisfying(TaskRejectedException.class, e -> {
                    assertThat(e.reject().taskId()).isEqualTo("31b8ae23-c687-4d80-b7b4-42a66c9bb886");
                    assertThat(e.reject().reason()).isEqualTo("job.process: progress '250%' is outside 0..100");
                    assertThat(e.reject().excerpt()).startsWith("{\n        \"id\"").contains("\"250%\"");
                    assertThat(e).hasMessageStartingWith("taurusdb response: job.process: progress '250%'");
                });
    }

    @Test
    void shouldTreatAPageLongerThanItsLimitAsMalformed() {
        StringBuilder body = new StringBuilder("{\"jobs\": [");
        for (int i = 0; i < 200_000; i++) {
            body.append(i == 0 ? "" : ",").append(job("t" + i, "Running"));
        }
        body.append("]}");

        assertThatThrownBy(() -> dds.parseList(ddsTarget, body.toString(), 50, OBSERVED, "src"))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("dds response: jobs has more than the 50 elements asked for (limit=50)");
    }

    @Test
    void shouldStopReadingAtTheFirstElementBeyondTheLimit() {
        // After element limit+1 the body is garbage: a parser that read on would report invalid JSON instead.
        String body = "{\"jobs\": [" + job("a", "Running") + ", " + job("b", "Running") + ", " + job("c", "Running")
                + ", <<< not JSON, and never read";

        assertThatThrownBy(() -> dds.parseList(ddsTarget, body, 2, OBSERVED, "src"))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("dds response: jobs has more than the 2 elements asked for");
    }

    @Test
    void shouldAcceptAPageOfExactlyItsLimit() throws Exception {
        String body = "{\"jobs\": [" + job("a", "Running") + ", " + job("b", "Completed") + "]}";
        assertThat(dds.parseList(ddsTarget, body, 2, OBSERVED, "src").tasks()).hasSize(2);
    }

    @Test
    void shouldFailTheWholeDocumentOnInvalidJsonInsideAnElement() {
        String body = "{\"jobs\": [" + job("a", "Running") + ", {\"id\": \"b\", \"name\": }]}";
        assertThatThrownBy(() -> dds.parseList(ddsTarget, body, 10, OBSERVED, "src"))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("dds response is not valid JSON at line 1");
    }

    private static String job(String id, String status) {
        return "{\"id\": \"" + id + "\", \"name\": \"n\", \"status\": \"" + status + "\"}";
    }
}
