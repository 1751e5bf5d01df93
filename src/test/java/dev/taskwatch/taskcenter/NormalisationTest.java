package dev.taskwatch.taskcenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskStatus;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NormalisationTest {

    @ParameterizedTest
    @CsvSource({
            "Running, RUNNING", "running, RUNNING", "RUNNING, RUNNING", "' Running ', RUNNING",
            "Completed, COMPLETED", "completed, COMPLETED",
            "Failed, FAILED", "FAILED, FAILED",
            "Pending, PENDING", "Unauthorized, PENDING",
            "Canceled, CANCELED", "Cancelled, CANCELED", "cancelled, CANCELED",
            "Succeeded, UNKNOWN", "Rollbacking, UNKNOWN", "'', UNKNOWN"})
    void shouldMapStatusesCaseInsensitivelyAndUnknownToUnknown(String raw, TaskStatus expected) {
        assertThat(Normalisation.status(raw)).isEqualTo(expected);
    }

    @Test
    void shouldMapNullStatusToUnknown() {
        assertThat(Normalisation.status(null)).isEqualTo(TaskStatus.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource({"14%, 14", "14, 14", "' 14 % ', 14", "0%, 0", "100%, 100", "60%, 60", "14.9%, 14", "100.0, 100"})
    void shouldParseProgress(String raw, int expected) {
        assertThat(Normalisation.progressPercent(raw)).isEqualTo(expected);
    }

    @Test
    void shouldTreatEmptyAndNullProgressAsUnknown() {
        assertThat(Normalisation.progressPercent("")).isNull();
        assertThat(Normalisation.progressPercent("  ")).isNull();
        assertThat(Normalisation.progressPercent(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"101%", "-1%", "250", "abc", "14%%", "%"})
    void shouldRejectProgressThatIsNotAPercentage(String raw) {
        assertThatThrownBy(() -> Normalisation.progressPercent(raw))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + raw + "'");
    }

    @ParameterizedTest
    @CsvSource({
            "2023-09-12T06:44:01+0000, 2023-09-12T06:44:01Z",
            "2022-08-05T08:15:07+0800, 2022-08-05T00:15:07Z",
            "2022-08-05T08:15:07+08:00, 2022-08-05T00:15:07Z",
            "2022-08-05T08:15:07+08, 2022-08-05T00:15:07Z",
            "2022-08-05T08:15:07Z, 2022-08-05T08:15:07Z",
            "2022-08-05T08:15:07-0130, 2022-08-05T09:45:07Z",
            "2022-08-05T08:15:07.250+0000, 2022-08-05T08:15:07.250Z",
            "' 2022-08-05T08:15:07+0000 ', 2022-08-05T08:15:07Z"})
    void shouldParseTimestampsWithAnyOffsetToUtc(String raw, String expected) {
        assertThat(Normalisation.timestamp(raw)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2022-08-05T08:15:07", "2022-08-05 08:15:07+0000", "1659687307000", "2022-13-05T08:15:07Z"})
    void shouldRejectTimestampsWithoutOffsetOrInvalid(String raw) {
        assertThatThrownBy(() -> Normalisation.timestamp(raw))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + raw + "'");
    }

    @Test
    void shouldTreatEmptyTimestampsAsAbsent() {
        assertThat(Normalisation.timestamp("")).isNull();
        assertThat(Normalisation.timestamp(null)).isNull();
    }

    @Test
    void shouldNullEmptyFailReasonsAndTrimNames() {
        assertThat(Normalisation.failReason("")).isNull();
        assertThat(Normalisation.failReason(" ")).isNull();
        assertThat(Normalisation.failReason(null)).isNull();
        assertThat(Normalisation.failReason("Failed to upgrade the DB Agent.")).isEqualTo("Failed to upgrade the DB Agent.");
        assertThat(Normalisation.name(" RestartGaussDBInstance")).isEqualTo("RestartGaussDBInstance");
        assertThat(Normalisation.name("\tCreate_MongoDB \n")).isEqualTo("Create_MongoDB");
    }

    @Test
    void shouldStripQueryFragmentAndUserInfoFromSource() {
        assertThat(Normalisation.source("https://dds.eu-de.otc.t-systems.com/v3/p/jobs"))
                .isEqualTo("https://dds.eu-de.otc.t-systems.com/v3/p/jobs");
        assertThat(Normalisation.source("https://user:secret@dds.eu-de.otc.t-systems.com/v3/p/jobs?id=1&token=x#f"))
                .isEqualTo("https://dds.eu-de.otc.t-systems.com/v3/p/jobs");
        assertThat(Normalisation.source(URI.create("http://127.0.0.1:8089/dds/"),
                ApiRequest.get("/v3/p/jobs", Map.of("id", "1"))))
                .isEqualTo("http://127.0.0.1:8089/dds/v3/p/jobs");
    }

    @Test
    void shouldUseTheSanitisedSourceInSnapshots() throws Exception {
        Target target = Recorded.target(Service.DDS, "p");
        var page = new DdsDialect().parseList(target,
                "{\"jobs\": [{\"id\": \"1\", \"name\": \"n\", \"status\": \"Running\"}]}", 10, Recorded.OBSERVED,
                "https://dds.eu-de.otc.t-systems.com/v3/p/jobs?start_time=x");
        assertThat(page.tasks().get(0).getSource()).isEqualTo("https://dds.eu-de.otc.t-systems.com/v3/p/jobs");
    }

    @Test
    void shouldProvideOneDialectPerService() {
        for (Service service : Service.values()) {
            assertThat(Dialects.of(service).service()).isEqualTo(service);
            assertThat(Dialects.of(service)).isSameAs(Dialects.of(service));
            assertThat(Dialects.of(service).listing().isPresent() || Dialects.of(service).getById().isPresent())
                    .isTrue();
        }
        assertThat(Dialects.of(Service.GEMINIDB)).isInstanceOf(GeminiDbDialect.class);
        assertThat(Dialects.of(Service.OPENGAUSS)).isInstanceOf(OpenGaussDialect.class);
        assertThat(Dialects.of(Service.DDS)).isInstanceOf(DdsDialect.class);
        assertThat(Dialects.of(Service.TAURUSDB)).isInstanceOf(TaurusDbDialect.class);
    }

    @Test
    void shouldReadTheSpecsTimestampFormOnTheFastPathAndLeaveOtherFormsToTheFormatter() {
        assertThat(Normalisation.parseCommonForm("2023-09-12T06:44:01+0000"))
                .isEqualTo(Instant.parse("2023-09-12T06:44:01Z"));
        assertThat(Normalisation.parseCommonForm("2023-09-12T14:44:01+0800"))
                .isEqualTo(Instant.parse("2023-09-12T06:44:01Z"));
        assertThat(Normalisation.parseCommonForm("2023-09-12T06:44:01+08:00")).as("colon offset: formatter").isNull();
        assertThat(Normalisation.parseCommonForm("2023-02-30T06:44:01+0000")).as("no such day: formatter").isNull();
        assertThat(Normalisation.timestamp("2023-09-12T06:44:01+08:00"))
                .isEqualTo(Instant.parse("2023-09-11T22:44:01Z"));
    }
}
