package dev.taskwatch.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportSectionsTest {

    @TempDir
    Path dir;

    private static BenchSuite.Report report(double... seconds) {
        BenchResult r = new BenchResult("recovery", "Recovery after kill -9")
                .figure("production", "s", java.util.Arrays.stream(seconds).boxed().toList());
        Map<String, Object> machine = new LinkedHashMap<>(Map.of("cores", 2));
        machine.put("load_average_at_end", 3.5);
        return new BenchSuite.Report(Instant.parse("2026-12-02T06:00:00Z"), Duration.ofMinutes(2),
                BenchSize.full(), 0, 3, machine, List.of(r));
    }

    @Test
    void shouldAppendTheSectionAndKeepEveryOtherFigureOfThePage() throws Exception {
        Path page = dir.resolve("benchmarks.md");
        String before = "# Benchmarks\n\n## 1. Topology\n\n| figure | median |\n| rate | 123.4 |\n\n";
        Files.writeString(page, before);

        BenchReport.writeSections(report(4.0, 5.0, 6.0), page, "bench --only recovery");

        String after = Files.readString(page);
        assertThat(after).startsWith(before).contains("<!-- bench:recovery -->", "## Recovery after kill -9",
                "| production | 5.000 | 4.000 | 6.000 |", "<!-- /bench:recovery -->");
    }

    @Test
    void shouldReplaceOnlyItsOwnSectionOnTheNextRun() throws Exception {
        Path page = dir.resolve("benchmarks.md");
        Files.writeString(page, "# Benchmarks\n\nintro\n\n");
        BenchReport.writeSections(report(4.0, 5.0, 6.0), page, "bench --only recovery");
        Files.writeString(page, Files.readString(page) + "## Later section\n\nkept\n");

        BenchReport.writeSections(report(1.0, 2.0, 3.0), page, "bench --only recovery");

        String after = Files.readString(page);
        assertThat(after).startsWith("# Benchmarks\n\nintro\n\n").contains("| production | 2.000 | 1.000 | 3.000 |")
                .doesNotContain("| production | 5.000").endsWith("## Later section\n\nkept\n");
        assertThat(after.split("<!-- bench:recovery -->", -1)).hasSize(2);
    }

    @Test
    void shouldMarkEachSectionOfTheFullPageSoThatALaterRunCanReplaceIt() {
        String md = BenchReport.markdown(report(4.0, 5.0, 6.0), "bench");

        assertThat(md).contains("<!-- bench:recovery -->\n## 1. Recovery after kill -9", "<!-- /bench:recovery -->");
    }
}
