package dev.taskwatch.devkit.bench;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskwatch bench}: the benchmark suite on the in-process broker and the simulator (docs/benchmarks.md). */
@Command(name = "bench", description = {
    "Runs the benchmark suite on an in-process Kafka broker and the task-center simulator: topology vs passthrough, "
            + "exactly-once cost, poller vs raw fetch, end-to-end latency, footprint.",
    "Prints a table (median and spread over the measured rounds, ratios against baselines measured in the same run), "
            + "writes results.json and benchmarks.md under --out, and regenerates docs/benchmarks.md on a full run."})
public final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--smoke", description = "Small sizes, for CI: checks the suite runs, its figures mean little.")
    boolean smoke;

    @Option(names = "--out", defaultValue = "target/bench", description = "Directory for results (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--rounds", description = "Measured rounds per benchmark, at least 3 (default: 5, with --smoke 3).")
    Integer rounds;

    @Option(names = "--warmup", description = "Unmeasured warm-up rounds (default: 2, with --smoke 1; the JIT "
            + "needs more than one round of the full size).")
    Integer warmup;

    @Option(names = "--only", split = ",", paramLabel = "NAME",
            description = "Run only these benchmarks: topology, eos, poller, latency, footprint; and recovery "
                    + "(kill -9 of the real jar, minutes; never part of the default run); restore (the same with "
                    + "100,000 and 1,000,000 tracked tasks in the transitions store, about 10 minutes; never part "
                    + "of the default run).")
    List<String> only;

    @Option(names = "--docs", paramLabel = "FILE", description = "Where to write the markdown page (default: "
            + "docs/benchmarks.md on a full run of every benchmark, and for --only runs of the on-request "
            + "benchmarks (listing, scheduler, recovery, restore), which replace only their own sections there; not "
            + "written for --smoke or other --only runs unless given).")
    Path docs;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        var outStream = spec.commandLine().getOut();
        BenchSize size = smoke ? BenchSize.smoke() : BenchSize.full();
        LinkedHashSet<String> selected = new LinkedHashSet<>(only == null ? List.of() : only);
        BenchSuite suite;
        try {
            suite = new BenchSuite(size, warmup != null ? warmup : smoke ? 1 : 2,
                    rounds != null ? rounds : smoke ? 3 : 5, selected, out.resolve("work"), line -> {
                err.println("bench: " + line);
                err.flush();
            });
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        BenchSuite.Report report = suite.run();
        BenchKafka.deleteRecursively(out.resolve("work"));
        outStream.print(BenchReport.table(report));
        outStream.flush();
        Path json = out.resolve("results.json");
        BenchReport.writeJson(report, json);
        String command = "java -jar target/taskwatch.jar bench" + (smoke ? " --smoke" : "")
                + (selected.isEmpty() ? "" : " --only " + String.join(",", selected))
                + (rounds == null ? "" : " --rounds " + rounds);
        BenchReport.writeMarkdown(report, out.resolve("benchmarks.md"), command);
        boolean onRequestOnly = !selected.isEmpty() && BenchSuite.ON_REQUEST.containsAll(selected);
        Path page = docs != null ? docs : smoke ? null : selected.isEmpty() || onRequestOnly
                ? Path.of("docs", "benchmarks.md") : null;
        if (page != null && !selected.isEmpty()) {
            // a run of some benchmarks updates their sections and keeps every other figure (the summary table at
            // the top is then for a person to update: it mixes runs)
            BenchReport.writeSections(report, page, command);
        } else if (page != null) {
            BenchReport.writeMarkdown(report, page, command);
        }
        err.println("bench: results in " + json + (page != null ? " and " + page : ""));
        return 0;
    }
}
