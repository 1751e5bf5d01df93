package dev.taskwatch.devkit.bench;

import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.Poller;
import dev.taskwatch.poller.PollerSettings;
import dev.taskwatch.poller.RateLimit;
import dev.taskwatch.poller.TaskCenterClient;
import dev.taskwatch.poller.TaskCenterHttp;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import dev.taskwatch.taskcenter.auth.StaticTokenAuthenticator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;

/**
 * "Scheduler at scale": many targets on one credential, optionally each with a finished history, against the simulator over real HTTP, on a virtual clock so
 * that half an hour of polling runs in a minute or two: the requests, parsing and scheduling are real, only the
 * waiting between slots is skipped. 1 % of the targets have a running task (active), the rest are idle with an interval
 * shorter than the budget allows, so idle staleness is set by the spare budget. Measures the polling delay of active
 * targets against their active-interval, idle staleness against the ideal (idle targets / spare budget), the
 * poller's CPU time per 1,000 targets per (virtual) minute and its heap per target.
 */
public final class SchedulerBench implements AutoCloseable {

    static final double RATE = 50.0;
    static final Duration ACTIVE_INTERVAL = Duration.ofSeconds(5);
    static final Duration IDLE_INTERVAL = Duration.ofSeconds(60);
    static final double JITTER = 0.2;

    /**
     * What an active target's cycle is expected to cost (its new tasks and its task running since an hour, in one
     * listing reaching back to that task), for the length of the run; the ideal is computed from the measured cost.
     */
    static final int REQUESTS_PER_ACTIVE_CYCLE = 1;

    private final int targets;
    private final int active;
    private final int history;
    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-20T12:00:00Z"));
    private final Simulator simulator;
    private final UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(5_000));

    SchedulerBench(int targets) {
        this(targets, 0);
    }

    /** @param history finished tasks per target over its 7-day lookback, as a busy account has */
    SchedulerBench(int targets, int history) {
        this.targets = targets;
        this.history = history;
        this.active = Math.max(1, targets / 100);
        this.simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly()
                .withAcceptedTokens(Set.of("bench-token")), clock, d -> { });
    }

    int targets() {
        return targets;
    }

    int active() {
        return active;
    }

    /** The ideal staleness of an idle target: idle targets / spare budget (requests/s left after active targets). */
    double idealIdleSeconds() {
        return idealIdleSeconds(REQUESTS_PER_ACTIVE_CYCLE);
    }

    /** The same for a measured cost of an active cycle. */
    double idealIdleSeconds(double requestsPerActiveCycle) {
        double spare = RATE - requestsPerActiveCycle * active / (double) ACTIVE_INTERVAL.toSeconds();
        return (targets - active) / spare;
    }

    record Result(double requestsPerActiveCycle, double activeP99Seconds, double activeP50Seconds,
            double idleP99Seconds, double idleP50Seconds,
            double cpuMsPerThousandTargetsPerMinute, double heapBytesPerTarget, long requests, double virtualMinutes,
            double wallSeconds) {}

    /** One run: {@code idealPeriods} ideal idle periods after the first listings. */
    Result run(double idealPeriods) {
        Instant start = clock.instant();
        List<PolledTarget> polled = new ArrayList<>();
        StaticTokenAuthenticator auth = new StaticTokenAuthenticator(new Credentials.StaticToken("bench",
                "bench-token"));
        for (int i = 0; i < targets; i++) {
            String project = String.format("bench%06d", i);
            Target t = new Target("dds/" + project, Service.DDS, "eu-de", project, simulator.endpoint(Service.DDS),
                    "bench", IDLE_INTERVAL, ACTIVE_INTERVAL, Duration.ofDays(7));
            polled.add(new PolledTarget(t, Dialects.of(Service.DDS), auth));
            if (history > 0) {
                simulator.tasks().seedFinishedHistory(Service.DDS, project, history / 7.0, Duration.ofDays(7));
            }
        }
        clock.set(start.minus(Duration.ofHours(1)));
        for (int i = 0; i < targets; i += targets / active) {
            simulator.tasks().createTask(Service.DDS, polled.get(i).target().projectId(), "Resize");
        }
        clock.set(start);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < targets; i++) {
            index.put(polled.get(i).target().name(), i);
        }
        // request times per target, in virtual nanos since start (first request of each cycle only matters: one page)
        long[][] times = new long[targets][];
        int[] counts = new int[targets];
        AtomicLong requests = new AtomicLong();
        TaskCenterHttp http = new TaskCenterHttp(unirest, Duration.ofSeconds(10), clock);
        // first listings: every target once (about targets / RATE seconds), then the measured span
        // (two requests each: the lookback, and what still runs before it)
        Duration warmup = Duration.ofSeconds((long) (2 * targets / (RATE - active / 5.0)) + 30);
        Instant measureFrom = start.plus(warmup);
        AtomicLong activeRequests = new AtomicLong();
        TaskCenterClient recording = (target, request, authenticator) -> {
            int i = index.get(target.name());
            if (i % (targets / active) == 0 && !clock.instant().isBefore(measureFrom)) {
                activeRequests.incrementAndGet();
            }
            Map<String, String> q = request.query();
            // a cycle starts with the first page of its main listing: that is when the target is polled
            if (!q.containsKey("id") && !q.containsKey("status") && "0".equals(q.getOrDefault("offset", "0"))) {
                if (counts[i] == times[i].length) {
                    times[i] = Arrays.copyOf(times[i], counts[i] * 2);
                }
                times[i][counts[i]++] = Duration.between(start, clock.instant()).toNanos();
            }
            requests.incrementAndGet();
            return http.execute(target, request, authenticator);
        };
        CountingSink sink = new CountingSink();
        PollerSettings settings = new PollerSettings(Duration.ofSeconds(10), 50, Duration.ofSeconds(60),
                Duration.ofMinutes(5), JITTER);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < targets; i++) {
            times[i] = new long[64]; // the benchmark's own records, allocated before the heap is measured
        }
        long heapBefore = usedHeapAfterGc();
        Poller poller = Poller.builder(settings, polled).rateLimits(Map.of("bench", new RateLimit(RATE)))
                .snapshots(sink).client(recording).metrics(new SimpleMeterRegistry()).clock(clock)
                .random(random::nextDouble).manual().build();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        poller.start();
        Instant end = measureFrom.plus(Duration.ofSeconds((long) (idealIdleSeconds() * idealPeriods)));
        clock.drive(poller, measureFrom);
        long heapAfter = usedHeapAfterGc();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long requestsAtMeasure = requests.get();
        clock.drive(poller, end);
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        double wall = (System.nanoTime() - wall0) / 1e9;
        poller.close();

        long from = Duration.between(start, measureFrom).toNanos();
        long activeCycles = 0;
        List<Double> activeGaps = new ArrayList<>();
        List<Double> idleGaps = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            boolean isActive = i % (targets / active) == 0;
            for (int k = 0; k < counts[i]; k++) {
                if (isActive && times[i][k] >= from && times[i][k] < Duration.between(start, end).toNanos()) {
                    activeCycles++;
                }
            }
            for (int k = 1; k < counts[i]; k++) {
                if (times[i][k - 1] >= from) {
                    double gap = (times[i][k] - times[i][k - 1]) / 1e9;
                    (isActive ? activeGaps : idleGaps).add(gap);
                }
            }
        }
        double minutes = Duration.between(measureFrom, end).toMillis() / 60_000.0;
        return new Result(activeRequests.get() / (double) Math.max(1, activeCycles), percentile(activeGaps, 0.99), percentile(activeGaps, 0.5), percentile(idleGaps, 0.99),
                percentile(idleGaps, 0.5), cpu / 1e6 / minutes / (targets / 1000.0),
                Math.max(0, heapAfter - heapBefore) / (double) targets, requests.get() - requestsAtMeasure, minutes,
                wall);
    }

    /**
     * Runs the benchmark alone and prints its figures: {@code SchedulerBench [targets] [ideal periods]} (defaults
     * 10,000 and 3). {@code taskwatch bench --only scheduler} runs the same inside the suite.
     */
    public static void main(String[] args) {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        double periods = args.length > 1 ? Double.parseDouble(args[1]) : 3.0;
        int history = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        dev.taskwatch.JdkHttpServers.sendWithoutDelay();
        try (SchedulerBench bench = new SchedulerBench(targets, history)) {
            Result r = bench.run(periods);
            double ideal = bench.idealIdleSeconds(r.requestsPerActiveCycle());
            System.out.printf("scheduler at scale: %,d targets (%d active), %.0f requests/s%n", targets,
                    bench.active(), RATE);
            System.out.printf("  active: p99 %.2f s, median %.2f s between polls; active-interval %d s; p99 ratio %.3f%n",
                    r.activeP99Seconds(), r.activeP50Seconds(), ACTIVE_INTERVAL.toSeconds(),
                    r.activeP99Seconds() / ACTIVE_INTERVAL.toSeconds());
            System.out.printf("  idle: p99 %.1f s, median %.1f s between polls; ideal %.1f s; p99 ratio %.3f%n",
                    r.idleP99Seconds(), r.idleP50Seconds(), ideal, r.idleP99Seconds() / ideal);
            System.out.printf("  CPU %.1f ms per 1,000 targets per minute; heap %.0f bytes per target%n",
                    r.cpuMsPerThousandTargetsPerMinute(), r.heapBytesPerTarget());
            System.out.printf("  %,d requests in %.1f virtual minutes, %.1f s wall%n", r.requests(),
                    r.virtualMinutes(), r.wallSeconds());
        }
    }

    private static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Override
    public void close() {
        unirest.close();
        simulator.close();
    }

    /** A clock the benchmark moves. */
}
