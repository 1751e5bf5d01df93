package dev.taskwatch.devkit.bench;

import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.Poller;
import dev.taskwatch.poller.PollerSettings;
import dev.taskwatch.poller.RateLimit;
import dev.taskwatch.poller.TaskCenterClient;
import dev.taskwatch.poller.TaskCenterHttp;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.Credentials;
import dev.taskwatch.taskcenter.auth.StaticTokenAuthenticator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;

/**
 * "Request-minimal listing": what a poll cycle costs a target whose lookback holds a finished history, against what a
 * full re-read of that lookback costs, both measured in the same run on the simulator over real HTTP (virtual clock).
 * Three targets (GeminiDB, openGauss, DDS: the list APIs, page sizes 50, 100, 100), each with {@code history} finished
 * tasks over the 7-day lookback and three running tasks (created a day, an hour and a moment before the start). Then
 * five minutes of active cycles (5 s) in which running tasks progress, one ends, one fails and a new one starts.
 */
final class ListingBench implements AutoCloseable {

    static final Duration ACTIVE_INTERVAL = Duration.ofSeconds(5);
    static final Duration LOOKBACK = Duration.ofDays(7);
    static final List<Service> SERVICES = List.of(Service.GEMINIDB, Service.OPENGAUSS, Service.DDS);
    private static final Duration STEADY = Duration.ofSeconds(270);

    private final VirtualClock clock = new VirtualClock(
            Instant.parse("2026-11-20T12:00:00Z"));
    private final Simulator simulator;
    private final UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(5_000));
    private final int history;

    /** What one history size measured, per target (the mean of the three) and per target cycle. */
    record Result(int history, double firstStartPages, double onePassPages, double fullReadPagesPerCycle,
            double requestsPerActiveCycle, int maxRequestsInACycle, double snapshotsPerCycle,
            double changesPerCycle, long cycles) {}

    ListingBench(int history) {
        this.history = history;
        SimulatorSettings settings = SimulatorSettings.defaults().scriptedOnly()
                .withAcceptedTokens(Set.of("bench-token"));
        this.simulator = Simulator.start(settings, clock, d -> { });
        simulator.tasks().seedFinishedHistory(history / (double) LOOKBACK.toDays(), LOOKBACK);
    }

    Result run() {
        Instant start = clock.instant();
        String project = simulator.settings().projects().get(0);
        StaticTokenAuthenticator auth = new StaticTokenAuthenticator(new Credentials.StaticToken("bench",
                "bench-token"));
        List<PolledTarget> polled = new ArrayList<>();
        List<SimTask> running = new ArrayList<>();
        int onePass = 0;
        for (Service service : SERVICES) {
            Target t = new Target(service.id(), service, "eu-de", project, simulator.endpoint(service), "bench",
                    Duration.ofSeconds(30), ACTIVE_INTERVAL, LOOKBACK);
            PolledTarget p = new PolledTarget(t, Dialects.of(service), auth);
            polled.add(p);
            for (Duration age : List.of(Duration.ofDays(1), Duration.ofHours(1), Duration.ZERO)) {
                clock.set(start.minus(age));
                running.add(simulator.tasks().createTask(service, project, "Resize"));
            }
            clock.set(start);
            // one pass: every task of the lookback once (a list without total_count needs an empty page after a
            // full last one), the one Running-only page before it, and the offset probe of the services whose
            // offset reading public clients disagree on
            int visible = simulator.tasks().visibleTasks(service, project).size();
            int size = p.effectivePageSize();
            boolean uncertain = Dialects.of(service).listing().orElseThrow().offsetReadingUncertain();
            boolean totalCount = service != Service.DDS; // the simulator's DDS list omits it, as the real one may
            int pages = visible / size + (visible % size != 0 || !totalCount ? 1 : 0);
            onePass += pages + 1 + (uncertain && visible >= size ? 1 : 0);
        }
        clock.set(start);
        Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        List<Integer> perCycle = new ArrayList<>();
        Map<String, AtomicInteger> inCycle = new ConcurrentHashMap<>();
        TaskCenterHttp http = new TaskCenterHttp(unirest, Duration.ofSeconds(10), clock);
        TaskCenterClient counting = (target, request, authenticator) -> {
            requests.computeIfAbsent(target.name(), k -> new AtomicInteger()).incrementAndGet();
            Map<String, String> q = request.query();
            boolean firstPageOfMainListing = !q.containsKey("id") && !q.containsKey("status")
                    && "0".equals(q.getOrDefault("offset", "0"));
            AtomicInteger current = inCycle.computeIfAbsent(target.name(), k -> new AtomicInteger(-1));
            if (firstPageOfMainListing) { // each cycle starts with it
                synchronized (perCycle) {
                    if (current.get() > 0) {
                        perCycle.add(current.get());
                    }
                }
                current.set(0);
            }
            current.incrementAndGet();
            return http.execute(target, request, authenticator);
        };
        CountingSink sink = new CountingSink();
        PollerSettings settings = new PollerSettings(Duration.ofSeconds(10), 1_000, Duration.ofSeconds(60),
                Duration.ofMinutes(5), 0.0);
        Poller poller = Poller.builder(settings, polled).rateLimits(Map.of("bench", new RateLimit(1_000)))
                .snapshots(sink).client(counting).metrics(new SimpleMeterRegistry()).clock(clock)
                .random(() -> 0.0).manual().build();
        poller.start();
        // first start: until every target completed its first cycle
        clock.drive(poller, start.plus(ACTIVE_INTERVAL).minusMillis(1));
        int firstStart = requests.values().stream().mapToInt(AtomicInteger::get).sum();
        perCycle.clear();
        inCycle.clear();
        long publishedBefore = sink.published();
        int changes = 0;
        Instant steadyEnd = start.plus(STEADY);
        Instant t = start.plus(ACTIVE_INTERVAL);
        int tick = 0;
        while (t.isBefore(steadyEnd)) {
            clock.drive(poller, t);
            tick++;
            if (tick % 2 == 0) { // every 10 s each target's newest running task progresses
                for (int i = 2; i < running.size(); i += 3) {
                    simulator.tasks().setProgress(running.get(i).id(), Math.min(99, tick));
                    changes++;
                }
            }
            if (tick == 20) { // the day-old tasks end, the hour-old ones fail
                for (int i = 0; i < running.size(); i += 3) {
                    simulator.tasks().complete(running.get(i).id());
                    simulator.tasks().fail(running.get(i + 1).id(), "bench");
                    changes += 2;
                }
            }
            if (tick == 30) { // a new task starts on every target
                for (Service service : SERVICES) {
                    simulator.tasks().createTask(service, project, "Restart");
                    changes++;
                }
            }
            t = t.plus(ACTIVE_INTERVAL);
        }
        clock.drive(poller, steadyEnd);
        inCycle.values().stream().filter(c -> c.get() > 0).forEach(c -> perCycle.add(c.get()));
        poller.close();
        long cycles = perCycle.size();
        double steadyRequests = perCycle.stream().mapToInt(Integer::intValue).sum();
        // the baseline of the same run: a full re-read of the lookback every cycle costs what the first start cost
        double fullRead = firstStart;
        int targets = SERVICES.size();
        return new Result(history, firstStart / (double) targets, onePass / (double) targets,
                fullRead / targets, steadyRequests / Math.max(1, cycles),
                perCycle.stream().mapToInt(Integer::intValue).max().orElse(0),
                (sink.published() - publishedBefore) / (double) Math.max(1, cycles),
                changes / (double) Math.max(1, cycles), cycles);
    }

    /** Runs alone and prints its figures: {@code ListingBench [history...]} (default 0, 1000, 10000). */
    public static void main(String[] args) {
        dev.taskwatch.JdkHttpServers.sendWithoutDelay();
        List<Integer> sizes = args.length == 0 ? List.of(0, 1_000, 10_000)
                : java.util.Arrays.stream(args).map(Integer::parseInt).toList();
        for (int size : sizes) {
            try (ListingBench bench = new ListingBench(size)) {
                Result r = bench.run();
                System.out.printf("history %,6d: first start %.0f requests (one pass %.0f); active cycle %.2f "
                        + "requests (max %d), %.2f snapshots for %.2f changes; full re-read %.0f pages a cycle; "
                        + "%d cycles%n", r.history(), r.firstStartPages(), r.onePassPages(),
                        r.requestsPerActiveCycle(), r.maxRequestsInACycle(), r.snapshotsPerCycle(),
                        r.changesPerCycle(), r.fullReadPagesPerCycle(), r.cycles());
            }
        }
    }

    @Override
    public void close() {
        unirest.close();
        simulator.close();
    }
}
