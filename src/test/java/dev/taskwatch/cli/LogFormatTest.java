package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code logging.format}: the stderr lines switch between text (with the date) and one JSON object per line carrying
 * the MDC fields, read back with a JSON parser.
 */
class LogFormatTest {

    private static final Logger LOG = LoggerFactory.getLogger("dev.taskwatch.poller.TargetPoller");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        // Logback's console appender writes to whatever System.err is at the time of each line.
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        LogFormat.apply("text");
        System.setErr(originalErr);
        MDC.clear();
    }

    @Test
    void shouldWriteOneJsonObjectPerLineWithTargetCredentialAndTaskIdFields() throws Exception {
        LogFormat.apply("json");
        MDC.put("target", "geminidb/eu-de/p1");
        MDC.put("credential", "otc");
        MDC.put("task_id", "ff80-1");
        LOG.warn("Poll of {} failed ({}): {}", "geminidb/eu-de/p1", "http_500", "line one\nline \"two\"");
        MDC.clear();
        LOG.info("no context");

        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("level").asText()).isEqualTo("WARN");
        assertThat(first.path("loggerName").asText()).isEqualTo("dev.taskwatch.poller.TargetPoller");
        assertThat(first.path("timestamp").asLong()).isPositive();
        assertThat(first.path("formattedMessage").asText())
                .isEqualTo("Poll of geminidb/eu-de/p1 failed (http_500): line one\nline \"two\"");
        assertThat(first.path("mdc").path("target").asText()).isEqualTo("geminidb/eu-de/p1");
        assertThat(first.path("mdc").path("credential").asText()).isEqualTo("otc");
        assertThat(first.path("mdc").path("task_id").asText()).isEqualTo("ff80-1");
        assertThat(first.has("arguments")).as("the raw arguments are not repeated").isFalse();
        assertThat(JSON.readTree(lines.get(1)).path("mdc").path("target").isMissingNode()
                || JSON.readTree(lines.get(1)).path("mdc").path("target").isNull()).isTrue();
    }

    @Test
    void shouldKeepTheDateInTextTimestampsAndSwitchBackFromJson() {
        LogFormat.apply("json");
        LogFormat.apply("text");
        LOG.info("hello");

        assertThat(lines()).singleElement().asString()
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) INFO .* - hello");
    }

    @Test
    void shouldFallBackToTextForAnUnknownFormatRatherThanDropLines() {
        LogFormat.apply("JSON");
        LogFormat.apply("xml");
        LOG.info("still here");

        assertThat(lines()).singleElement().asString().endsWith(" - still here");
    }

    private List<String> lines() {
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
}
