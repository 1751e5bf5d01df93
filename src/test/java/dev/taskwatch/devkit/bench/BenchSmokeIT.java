package dev.taskwatch.devkit.bench;

import dev.taskwatch.testing.LongRunning;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwatch.cli.TaskwatchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs {@code taskwatch bench --smoke} in-process, so that the suite cannot rot. Asserts the structure of what it
 * writes (every benchmark, every figure positive and finite, JSON and markdown), never its speed.
 */
@LongRunning
class BenchSmokeIT {

    @TempDir
    Path dir;

    @Test
    void shouldRunEveryBenchmarkAndWriteJsonAndMarkdown() throws Exception {
        Path out = dir.resolve("bench");
        Path docs = dir.resolve("docs/benchmarks.md");
        CommandLine cmd = TaskwatchCommand.commandLine(Map.of());
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        cmd.setOut(new PrintWriter(stdout, true));
        cmd.setErr(new PrintWriter(stderr, true));

        int code = cmd.execute("bench", "--smoke", "--warmup", "1", "--rounds", "3", "--out", out.toString(),
                "--docs", docs.toString());

        assertThat(code).as("exit code; stderr:%n%s", stderr).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.get("size").asText()).isEqualTo("smoke");
        assertThat(json.get("measured_rounds").asInt()).isEqualTo(3);
        assertThat(json.get("machine").get("cores").asInt()).isPositive();
        List<String> ids = new ArrayList<>();
        json.get("benchmarks").forEach(b -> ids.add(b.get("id").asText()));
        assertThat(ids).containsExactlyElementsOf(BenchSuite.NAMES);
        for (JsonNode b : json.get("benchmarks")) {
            String id = b.get("id").asText();
            assertThat(b.get("figures")).as(id).isNotEmpty();
            for (JsonNode f : b.get("figures")) {
                String what = id + " / " + f.get("name").asText();
                assertThat(f.get("samples")).as(what).hasSize(3);
                for (String k : List.of("median", "min", "max")) {
                    assertThat(f.get(k).asDouble()).as(what + " " + k).isPositive().isFinite();
                }
                f.get("samples").forEach(s -> assertThat(s.asDouble()).as(what).isPositive().isFinite());
            }
            assertThat(b.get("ratios")).as(id).hasSize(1);
            JsonNode ratio = b.get("ratios").get(0);
            assertThat(ratio.get("value").asDouble()).as(id).isPositive().isFinite();
            assertThat(ratio.get("met").isBoolean()).as(id).isTrue();
        }
        String md = Files.readString(docs);
        assertThat(md).startsWith("# Benchmarks").contains("## Machine", "| cores |", "| memory mib |", "| jvm |",
                "| os |", "## Against the targets");
        for (JsonNode b : json.get("benchmarks")) {
            assertThat(md).contains(b.get("title").asText());
        }
        assertThat(Files.readString(out.resolve("benchmarks.md"))).isEqualTo(md);
        assertThat(stdout.toString()).contains("topology / passthrough", "exactly_once_v2 / at_least_once",
                "poller / raw fetch", "p99", "state per task");
        assertThat(out.resolve("work")).doesNotExist();
    }

    @Test
    void shouldTimeRestartsAfterKillNineWithATrackedStoreAndWriteOnlyItsSectionWhenRestoreRuns() throws Exception {
        Path out = dir.resolve("restore");
        Path docs = dir.resolve("docs/benchmarks.md");
        Files.createDirectories(docs.getParent());
        String other = "<!-- bench:recovery -->\n## Recovery, figures of another run\n\n<!-- /bench:recovery -->\n\n";
        Files.writeString(docs, "# Benchmarks\n\n" + other);
        CommandLine cmd = TaskwatchCommand.commandLine(Map.of());
        StringWriter stderr = new StringWriter();
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        cmd.setErr(new PrintWriter(stderr, true));

        int code = cmd.execute("bench", "--smoke", "--only", "restore", "--rounds", "3", "--out", out.toString(),
                "--docs", docs.toString());

        assertThat(code).as("exit code; stderr:%n%s", stderr).isZero();
        JsonNode restore = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("benchmarks")
                .get(0);
        assertThat(restore.get("id").asText()).isEqualTo("restore");
        int tracked = BenchSize.smoke().footprintTasks();
        List<String> figures = new ArrayList<>();
        restore.get("figures").forEach(f -> {
            figures.add(f.get("name").asText());
            assertThat(f.get("samples")).as(f.get("name").asText()).hasSize(3);
            f.get("samples").forEach(s -> assertThat(s.asDouble()).isPositive().isFinite());
        });
        assertThat(figures).containsExactly("empty store (baseline)", String.format("%,d tracked tasks", tracked));
        // the restarted process restored a changelog holding every tracked task (plus transaction markers)
        assertThat(restore.get("parameters").get("changelog_records_" + tracked).asLong())
                .isGreaterThanOrEqualTo(tracked);
        assertThat(restore.get("parameters").get("changelog_records_0").asLong()).isZero();
        String md = Files.readString(docs);
        assertThat(md).contains(other, "<!-- bench:restore -->", "Restore at scale", "empty store (baseline)")
                .doesNotContain("## Machine");
    }

    @Test
    void shouldRejectAnUnknownBenchmarkAndTooFewRounds() {
        CommandLine cmd = TaskwatchCommand.commandLine(Map.of());
        StringWriter stderr = new StringWriter();
        cmd.setErr(new PrintWriter(stderr, true));
        assertThat(cmd.execute("bench", "--smoke", "--only", "nope")).isEqualTo(2);
        assertThat(stderr.toString()).contains("Unknown benchmark 'nope'");
        assertThat(TaskwatchCommand.commandLine(Map.of()).execute("bench", "--smoke", "--rounds", "2")).isEqualTo(2);
    }
}
