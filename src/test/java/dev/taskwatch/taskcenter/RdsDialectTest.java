package dev.taskwatch.taskcenter;

import static dev.taskwatch.taskcenter.Recorded.OBSERVED;
import static dev.taskwatch.taskcenter.Recorded.body;
import static dev.taskwatch.taskcenter.Recorded.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskStatus;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RDS ListJobInfo, with fixtures written in the shape of the RDS API reference ("Obtaining Task Information"). */
class RdsDialectTest {

    private static final String PROJECT = "0483b6b16e954cb88930a360d2c4e663";
    private final RdsDialect dialect = new RdsDialect();
    private final Target target = Recorded.target(Service.RDS, PROJECT);
    private final String source = "https://rds.eu-de.otc.t-systems.com/v3/" + PROJECT + "/jobs";

    @Test
    void shouldAskForOneJobByIdAtTheDocumentedPathOnBothClouds() {
        ApiRequest expected = new ApiRequest("GET", "/v3/" + PROJECT + "/jobs",
                Map.of("id", "a9767ede-fe0f-4888-9003-e843a4c90514"));
        assertThat(dialect.getRequest(target, " a9767ede-fe0f-4888-9003-e843a4c90514 ")).isEqualTo(expected);
        assertThat(Dialects.of(Service.RDS, CloudProfile.HUAWEI)).isSameAs(Dialects.of(Service.RDS));
        assertThat(dialect.listing()).as("no list API is used for RDS").isEmpty();
    }

    @Test
    void shouldReadACompletedJobWithItsOffsetTimesAndFlattenedEntities() throws Exception {
        String id = "a9767ede-fe0f-4888-9003-e843a4c90514";
        assertThat(dialect.parseGet(target, id, body("rds", "get-job-completed.json"), OBSERVED, source)).contains(
                expected(target, id, "CreateMysqlSingleHAInstance", TaskStatus.COMPLETED, "Completed")
                        .setCreatedAt(Instant.parse("2018-08-06T02:41:14Z"))
                        .setEndedAt(Instant.parse("2018-08-06T08:41:14Z"))
                        .setInstanceId("a48e43ff268f4c0e879652d65e63d0fbin01")
                        .setInstanceName("DO-NOT-TOUCH-mgr2-mysql")
                        .setDetails(Map.of(
                                "entities.instance.endpoint", "192.168.1.203:3306",
                                "entities.instance.type", "Ha",
                                "entities.instance.datastore.type", "mysql",
                                "entities.instance.datastore.version", "8.0",
                                "entities.resource_ids.0", "a48e43ff268f4c0e879652d65e63d0fbin01.vm",
                                "entities.resource_ids.1", "a48e43ff268f4c0e879652d65e63d0fbin01.volume"))
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldReadARunningJobsProcessAndIgnoreTheEndTimeItReports() throws Exception {
        String id = "3b9f0c55-6b0e-4ad5-a1e2-0f5e6d2c7a11";
        assertThat(dialect.parseGet(target, id, body("rds", "get-job-running.json"), OBSERVED, source)).contains(
                expected(target, id, "MysqlExtendDatastoreVolume", TaskStatus.RUNNING, "Running")
                        .setProgressPercent(60)
                        .setCreatedAt(Instant.parse("2026-11-24T11:58:02Z"))
                        .setInstanceId("5d4a1c2e3f6b4a8c9d0e1f2a3b4c5d6ein01")
                        .setInstanceName("orders-db")
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldReadAFailedJobWithItsFailReason() throws Exception {
        String id = "c0a7e1f2-9d3b-4e5f-8a6b-7c8d9e0f1a2b";
        assertThat(dialect.parseGet(target, id, body("rds", "get-job-failed.json"), OBSERVED, source)).contains(
                expected(target, id, "MysqlBindEip", TaskStatus.FAILED, "Failed")
                        .setCreatedAt(Instant.parse("2026-11-24T08:00:00Z"))
                        .setEndedAt(Instant.parse("2026-11-24T08:01:30Z"))
                        .setInstanceId("5d4a1c2e3f6b4a8c9d0e1f2a3b4c5d6ein01")
                        .setInstanceName("orders-db")
                        .setFailReason("The EIP is already bound to another resource.")
                        .setSource(source)
                        .build());
    }

    @Test
    void shouldRefuseAJobWithAnotherIdThanTheOneAskedFor() {
        assertThatThrownBy(() -> dialect.parseGet(target, "other", body("rds", "get-job-failed.json"), OBSERVED,
                source)).isInstanceOf(MalformedResponseException.class).hasMessageContaining("'other' was asked for");
    }

    @Test
    void shouldDefaultToTheRdsHostOfEachCloud() {
        assertThat(CloudProfile.OTC.endpoint(Service.RDS, "eu-nl"))
                .isEqualTo(URI.create("https://rds.eu-nl.otc.t-systems.com"));
        assertThat(CloudProfile.HUAWEI.endpoint(Service.RDS, "ap-southeast-1"))
                .isEqualTo(URI.create("https://rds.ap-southeast-1.myhuaweicloud.com"));
        assertThat(CloudProfile.HUAWEI.endpoint(Service.RDS, "eu-west-101"))
                .isEqualTo(URI.create("https://rds.eu-west-101.myhuaweicloud.eu"));
    }
}
