package dev.taskwatch.devkit.bench;

import dev.taskwatch.JdkHttpServers;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The benchmarks of the poller alone, without Kafka (its own cost against a raw fetch, the request-minimal listing,
 * the scheduler at scale), each measured and turned into a {@link BenchResult} with its figures, ratios and notes.
 * Apart from {@link BenchSuite}, which picks what runs and owns the broker the pipeline benchmarks share.
 */
final class PollingBenches {

    private final BenchSize size;
    private final int warmup;
    private final int rounds;
    private final Consumer<String> progress;

    PollingBenches(BenchSize size, int warmup, int rounds, Consumer<String> progress) {
        this.size = size;
        this.warmup = warmup;
        this.rounds = rounds;
        this.progress = progress;
    }

    BenchResult poller() throws Exception {
        try (PollerBench bench = new PollerBench(size.pollerTasks())) {
            Map<String, List<Double>> m = bench.measure(warmup, rounds, progress);
            BenchResult r = new BenchResult("poller", "Poller vs raw fetch")
                    .figure("poller", "snapshots/s", m.get("poller"))
                    .figure("raw fetch", "snapshots/s", m.get("raw"))
                    .figure("requests per snapshot", "requests", m.get("requestsPerSnapshot"))
                    .figure("raw fetch, time per request", "ms", m.get("msPerRequest"));
            r.ratio("poller / raw fetch", r.median("poller") / r.median("raw fetch"), 0.95, true, "ratio of medians");
            r.note(String.format("The poller's own cost per snapshot (1/poller - 1/raw fetch, from the medians): %.1f "
                    + "µs; a raw request takes %.1f ms here for %d snapshots.",
                    1e6 * (1 / r.median("poller") - 1 / r.median("raw fetch")),
                    r.median("raw fetch, time per request"), bench.pageSize()));
            r.note(String.format("The simulator holds %,d running %s tasks; one poller cycle reads them all (list API, "
                    + "page size %d); a fresh poller per cycle, so each cycle is a first cycle; %d poller cycles and %d raw "
                    + "loops per round, alternating.", size.pollerTasks(), PollerBench.SERVICE.id(), bench.pageSize(),
                    PollerBench.CYCLES_PER_ROUND, PollerBench.CYCLES_PER_ROUND));
            r.note("Raw fetch: the same page URLs, the same Unirest client and token header, in a bare loop that "
                    + "reads each body as a string; no JSON parsing, no normalisation, no sink.");
            r.note("Poller: publishes into an in-memory sink that only counts (no Kafka), so the ratio is the poller's "
                    + "own cost: parsing, normalisation, rate-limit turn, response policy, bookkeeping.");
            r.note("Rate limit set to 1,000,000 requests/s: throttling is not what is measured.");
            r.note("Both sides pay the simulator (an in-JVM com.sun.net.httpserver that filters and sorts every "
                    + "visible task per request) and the loopback HTTP round trip; the ratio is the poller's overhead "
                    + "on top of that floor, not a comparison with a real task center's latency. The suite sets "
                    + JdkHttpServers.NODELAY_PROPERTY + "=true: without it every request to the simulator waits ~40 ms for a "
                    + "delayed ACK, which would make the floor ten times slower and hide the poller's cost.");
            r.parameter("tasks", size.pollerTasks()).parameter("page_size", bench.pageSize())
                    .parameter("raw_bytes_per_cycle", bench.lastRawBytes());
            return r;
        }
    }

    BenchResult listing() {
        boolean smoke = size.name().equals("smoke");
        List<Integer> histories = smoke ? List.of(0, 200) : List.of(0, 1_000, 10_000);
        BenchResult r = new BenchResult("listing", "Request-minimal listing (per target and cycle)");
        double worstRequests = 0;
        double worstSnapshots = 0;
        double worstFirstStart = 0;
        for (int history : histories) {
            progress.accept("listing: " + history + " finished tasks per target, virtual clock");
            try (ListingBench bench = new ListingBench(history)) {
                ListingBench.Result m = bench.run();
                String h = String.format("%,d finished", history);
                r.figure(h + ": requests per active cycle", "requests", List.of(m.requestsPerActiveCycle()))
                        .figure(h + ": most requests in one cycle", "requests", List.of((double) m.maxRequestsInACycle()))
                        .figure(h + ": snapshots per cycle", "snapshots", List.of(m.snapshotsPerCycle()))
                        .figure(h + ": changed tasks per cycle", "tasks", List.of(m.changesPerCycle()))
                        .figure(h + ": baseline, a full re-read of the lookback per cycle", "requests",
                                List.of(m.fullReadPagesPerCycle()))
                        .figure(h + ": first start", "requests", List.of(m.firstStartPages()))
                        .figure(h + ": one pass over the history", "pages", List.of(m.onePassPages()));
                worstRequests = Math.max(worstRequests, m.requestsPerActiveCycle());
                worstSnapshots = Math.max(worstSnapshots, m.snapshotsPerCycle() / Math.max(1e-9,
                        m.changesPerCycle()));
                worstFirstStart = Math.max(worstFirstStart, m.firstStartPages() / m.onePassPages());
                r.note(String.format("%,d finished tasks: %d target cycles; a full re-read would cost %.0f requests "
                        + "a cycle, the request-minimal cycle costs %.2f (%.1f %% of it).", history, m.cycles(),
                        m.fullReadPagesPerCycle(), m.requestsPerActiveCycle(),
                        100 * m.requestsPerActiveCycle() / m.fullReadPagesPerCycle()));
            }
        }
        r.ratio("requests per active cycle / 3 (worst history)", worstRequests / 3, 1.0, false,
                "mean requests of an active cycle over the goal of 3, whatever the history");
        r.ratio("snapshots per cycle / changed tasks per cycle (worst history)", worstSnapshots, 1.0, false,
                "what is published against what changed");
        r.ratio("first start requests / one pass (worst history)", worstFirstStart, 1.0, false,
                "requests of the first listing against one pass over the lookback, one Running-only page and the "
                        + "offset probe (openGauss, DDS)");
        r.note(String.format("Three targets (GeminiDB, openGauss, DDS: page sizes 50, 100, 100) on the simulator "
                + "over real HTTP, each with the finished history above over its %d-day lookback and three running "
                + "tasks (started a day, an hour and a moment before); then %d s of active cycles (every %d s) in "
                + "which the newest running task progresses every 10 s, the two older ones end (one completes, one "
                + "fails) in the same cycle, and a new task starts. Figures are per target and per target cycle. "
                + "The baseline is what this run's first start cost, which is what re-reading the lookback every "
                + "cycle costs.", ListingBench.LOOKBACK.toDays(), 270, ListingBench.ACTIVE_INTERVAL.toSeconds()));
        return r;
    }

    BenchResult scheduler() {
        int targets = size.name().equals("smoke") ? 1_000 : 10_000;
        // under one page of DDS (100): the idle cycles stay one request, so the ideal below stays the measure
        int history = size.name().equals("smoke") ? 20 : 90;
        try (SchedulerBench bench = new SchedulerBench(targets, history)) {
            progress.accept("scheduler: " + targets + " targets, virtual clock");
            SchedulerBench.Result m = bench.run(3.0);
            double activeInterval = SchedulerBench.ACTIVE_INTERVAL.toMillis() / 1000.0;
            double ideal = bench.idealIdleSeconds(m.requestsPerActiveCycle());
            BenchResult r = new BenchResult("scheduler", "Scheduler at scale (one credential)")
                    .figure("active targets: requests per cycle", "requests", List.of(m.requestsPerActiveCycle()))
                    .figure("active targets: p99 time between polls", "s", List.of(m.activeP99Seconds()))
                    .figure("active targets: median time between polls", "s", List.of(m.activeP50Seconds()))
                    .figure("idle targets: p99 staleness (time between polls)", "s", List.of(m.idleP99Seconds()))
                    .figure("idle targets: median staleness", "s", List.of(m.idleP50Seconds()))
                    .figure("poller CPU per 1,000 targets per minute", "ms",
                            List.of(m.cpuMsPerThousandTargetsPerMinute()))
                    .figure("heap per target", "bytes", List.of(m.heapBytesPerTarget()));
            r.ratio("active p99 / active-interval", m.activeP99Seconds() / activeInterval, 1.1, false,
                    "p99 of the time between two polls of an active target over its active-interval");
            r.ratio("idle p99 / ideal", m.idleP99Seconds() / ideal, 1.1, false, String.format(
                    "ideal = idle targets / spare budget = %,d / %.1f per s = %.0f s", targets - bench.active(),
                    SchedulerBench.RATE - m.requestsPerActiveCycle() * bench.active() / activeInterval,
                    ideal));
            r.note(String.format("Each target's 7-day lookback holds %d finished tasks (%,d in the simulator); an "
                    + "active target's cycle cost %.2f requests in the measured span (its new tasks and its task "
                    + "running since an hour before the start); the ideal below uses that measured cost, and the time "
                    + "between polls is measured between the first requests of two cycles.",
                    history, history * targets, m.requestsPerActiveCycle()));
            r.note(String.format("%,d DDS targets on the simulator over real HTTP, %d with a running task, one "
                    + "credential at %.0f requests/s, active-interval %d s, interval %d s (idle targets are "
                    + "budget-bound), jitter %.0f %% as a random phase. A virtual clock skips the waiting between "
                    + "slots: %,d requests over %.1f virtual minutes took %.1f s of wall time. One measured run "
                    + "after every target's first listing.", targets, bench.active(), SchedulerBench.RATE,
                    SchedulerBench.ACTIVE_INTERVAL.toSeconds(), SchedulerBench.IDLE_INTERVAL.toSeconds(),
                    SchedulerBench.JITTER * 100, m.requests(), m.virtualMinutes(), m.wallSeconds()));
            r.note("CPU: the driving thread's CPU time (scheduling, HTTP client, parsing, normalisation, metrics; not "
                    + "the simulator's threads) per virtual minute, scaled to 1,000 targets: what one poller "
                    + "spends per real minute at this request rate. Heap: used heap after GC with every target "
                    + "polled once, minus before the poller was built, per target.");
            r.parameter("targets", targets).parameter("active", bench.active())
                    .parameter("rate", SchedulerBench.RATE).parameter("requests", m.requests())
                    .parameter("history_per_target", history);
            return r;
        }
    }
}
