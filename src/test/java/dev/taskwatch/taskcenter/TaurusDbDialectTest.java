package dev.taskwatch.taskcenter;

import static dev.taskwatch.taskcenter.Recorded.OBSERVED;
import static dev.taskwatch.taskcenter.Recorded.body;
import static dev.taskwatch.taskcenter.Recorded.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaurusDbDialectTest {

    private static final String PROJECT = "0483b6b16e954cb88930a360d2c4e663";
    private static final String ID = "31b8ae23-c687-4d80-b7b4-42a66c9bb886";
    private final TaurusDbDialect dialect = new TaurusDbDialect();
    private final Target target = Recorded.target(Service.TAURUSDB, PROJECT);
    private final String source = "https://gaussdb-mysql.eu-de.otc.t-systems.com/mysql/v3/" + PROJECT + "/jobs";

    @Test
    void shouldReportTheSpecExampleAsInvalidJsonWithAClearMessage() {
        String body = body("taurusdb", "get-job-restart-invalid-json.json");

        assertThatThrownBy(() -> dialect.parseGet(target, ID, body, OBSERVED, source))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("taurusdb response is not valid JSON at line 16, column 1")
                .hasMessageContaining("body starts: { \"job\": { \"id\": \"31b8ae23");
    }

    @Test
    void shouldParseEveryFieldOfTheSpecExampleOnceItsExtraBraceIsRemoved() throws Exception {
        String body = body("taurusdb", "get-job-restart-invalid-json.json");
        String repaired = body.substring(0, body.lastIndexOf('}'));

        assertThat(dialect.parseGet(target, ID, repaired, OBSERVED, source)).contains(
                expected(target, ID, "RestartGaussDBInstance", TaskStatus.COMPLETED, "Completed")
                        .setCreatedAt(Instant.parse("2018-08-06T10:41:14Z"))
                        .setEndedAt(Instant.parse("2018-08-06T16:41:14Z"))
                        .setInstanceId("a48e43ff268f4c0e879652d65e63d0fbin01")
                        .setInstanceName("DO-NOT-TOUCH-mgr2-gaussdb")
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldFlattenEntitiesIntoDetails() throws Exception {
        String body = """
                {"job": {"id": "j", "name": "CreateGaussDBforMySQLInstance", "status": "Running", "created": "",
                  "ended": "", "process": "45%", "instance": {"id": "i", "name": "n"}, "fail_reason": null,
                  "entities": {"instance": {"endpoint": "192.168.0.1:3306", "type": "Cluster",
                      "datastore": {"type": "gaussdb-mysql", "version": "8.0"}},
                    "resource_ids": ["i.vm", "i.volume"], "public_ip": null, "empty": {}, "count": 2, "flag": true}}}""";

        assertThat(dialect.parseGet(target, "j", body, OBSERVED, source)).contains(
                expected(target, "j", "CreateGaussDBforMySQLInstance", TaskStatus.RUNNING, "Running")
                        .setProgressPercent(45)
                        .setInstanceId("i").setInstanceName("n")
                        .setDetails(Map.of(
                                "entities.instance.endpoint", "192.168.0.1:3306",
                                "entities.instance.type", "Cluster",
                                "entities.instance.datastore.type", "gaussdb-mysql",
                                "entities.instance.datastore.version", "8.0",
                                "entities.resource_ids.0", "i.vm",
                                "entities.resource_ids.1", "i.volume",
                                "entities.count", "2",
                                "entities.flag", "true"))
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldMapTaurusOnlyStatuses() throws Exception {
        assertThat(parseStatus("Pending")).isEqualTo(TaskStatus.PENDING);
        assertThat(parseStatus("Unauthorized")).isEqualTo(TaskStatus.PENDING);
        assertThat(parseStatus("Canceled")).isEqualTo(TaskStatus.CANCELED);
        assertThat(parseStatus("Rolling back")).isEqualTo(TaskStatus.UNKNOWN);
    }

    private TaskStatus parseStatus(String raw) throws Exception {
        String body = "{\"job\": {\"id\": \"j\", \"name\": \"n\", \"status\": \"" + raw + "\"}}";
        var snapshot = dialect.parseGet(target, "j", body, OBSERVED, source).orElseThrow();
        assertThat(snapshot.getRawStatus()).isEqualTo(raw);
        return snapshot.getStatus();
    }

    @Test
    void shouldBuildGetRequestUnderMysqlPrefix() {
        assertThat(dialect.getRequest(target, "a9767ede-fe0f-4888-9003-e843a4c90514")).isEqualTo(new ApiRequest("GET",
                "/mysql/v3/" + PROJECT + "/jobs", Map.of("id", "a9767ede-fe0f-4888-9003-e843a4c90514")));
    }

    @Test
    void shouldHaveNoListing() {
        assertThat(dialect.listing()).isEmpty();
        assertThat(dialect.getById()).containsSame(dialect);
        assertThat(dialect).isNotInstanceOf(ListingDialect.class);
    }

    @Test
    void shouldRecogniseNotFoundAnswers() {
        assertThat(dialect.isNotFound(404, "{\"error_code\": \"DBS.200823\", \"error_msg\": \"x\"}")).isTrue();
        assertThat(dialect.isNotFound(400, "{\"error_code\": \"DBS.280343\", \"error_msg\": \"The job does not exist.\"}"))
                .isTrue();
        assertThat(dialect.isNotFound(400, "{\"error_code\": \"DBS.200022\", \"error_msg\": \"Invalid project id\"}"))
                .isFalse();
        assertThat(dialect.isNotFound(404, "{\"error_code\": \"APIG.0101\", \"error_msg\": \"The API does not exist or has not been published in the environment\"}"))
                .isFalse();
        assertThat(dialect.isNotFound(500, "{\"error_msg\": \"The job does not exist.\"}")).isFalse();
    }

    @Test
    void shouldNameMissingAndMistypedFields() {
        assertThatThrownBy(() -> dialect.parseGet(target, "j",
                "{\"job\": {\"id\": \"j\", \"name\": \"n\"}}", OBSERVED, source))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessage("taurusdb response: job.status is missing; body starts: {\"job\": {\"id\": \"j\", \"name\": \"n\"}}");
        assertThatThrownBy(() -> dialect.parseGet(target, "j",
                "{\"job\": {\"id\": \"j\", \"name\": 7, \"status\": \"Running\"}}", OBSERVED, source))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("taurusdb response: job.name is the number 7, expected a string");
        assertThatThrownBy(() -> dialect.parseGet(target, "j",
                "{\"job\": {\"id\": \"j\", \"name\": \"n\", \"status\": \"Running\", \"process\": \"lots\"}}", OBSERVED,
                source))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("taurusdb response: job.process: progress 'lots' is not a percentage");
        assertThatThrownBy(() -> dialect.parseGet(target, "j",
                "{\"job\": {\"id\": \"j\", \"name\": \"n\", \"status\": \"Completed\", \"ended\": \"yesterday\"}}",
                OBSERVED, source))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("taurusdb response: job.ended: timestamp 'yesterday' is not of the form");
        assertThatThrownBy(() -> dialect.parseGet(target, "j", "{\"job\": {\"id\": \"j\", \"na", OBSERVED, source))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageStartingWith("taurusdb response is not valid JSON");
        assertThatThrownBy(() -> dialect.parseGet(target, "j", "[]", OBSERVED, source))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessage("taurusdb response is not a JSON object; body starts: []");
        assertThatThrownBy(() -> dialect.parseGet(target, "j", "", OBSERVED, source))
                .isInstanceOf(MalformedResponseException.class).hasMessage("taurusdb response is empty");
    }
}
