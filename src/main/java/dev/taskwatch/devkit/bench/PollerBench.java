package dev.taskwatch.devkit.bench;

import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.Poller;
import dev.taskwatch.poller.PollerSettings;
import dev.taskwatch.poller.RateLimit;
import dev.taskwatch.poller.TaskCenterHttp;
import dev.taskwatch.poller.WatchSet;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.TaskCenterDialect;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TimeWindow;
import dev.taskwatch.taskcenter.auth.Authenticator;
import dev.taskwatch.taskcenter.auth.SignableRequest;
import dev.taskwatch.taskcenter.auth.StaticTokenAuthenticator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import kong.unirest.core.Config;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.UnirestInstance;

/**
 * Benchmark 3: one complete list cycle of the poller over a simulator holding N scripted tasks (OpenGauss list API,
 * page size 100) against a bare loop of the same page requests with the same Unirest client and token header, which
 * reads each body as a string and neither parses nor publishes. The poller publishes into a counting in-memory sink
 * (no Kafka), so the ratio is the cost of parsing, normalising and the poller's bookkeeping. The rate limit is set to
 * 1,000,000 requests/s: throttling is not what is measured.
 */
final class PollerBench implements AutoCloseable {

    static final Service SERVICE = Service.OPENGAUSS;
    static final double RATE_LIMIT = 1_000_000;
    static final int CYCLES_PER_ROUND = 5;

    private final Simulator simulator;
    private final UnirestInstance unirest = new UnirestInstance(new Config().connectTimeout(2000));
    private final TaskCenterDialect dialect = Dialects.of(SERVICE);
    private final Target target;
    private final Authenticator authenticator;
    private final int tasks;
    private long lastRequests;
    private long lastBytes;

    PollerBench(int tasks) {
        this.tasks = tasks;
        this.simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly());
        String project = simulator.settings().projects().get(0);
        for (int i = 0; i < tasks; i++) {
            simulator.tasks().createTask(SERVICE, project, "bench-" + i);
        }
        this.target = new Target("bench/opengauss", SERVICE, "eu-de", project, simulator.endpoint(SERVICE), "bench",
                Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(7));
        this.authenticator = new StaticTokenAuthenticator(simulator.credentials("bench"));
    }

    int pageSize() {
        return new PolledTarget(target, dialect, authenticator).effectivePageSize();
    }

    Map<String, List<Double>> measure(int warmup, int rounds, Consumer<String> progress) throws Exception {
        List<Double> poller = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        List<Double> requestsPerSnapshot = new ArrayList<>();
        List<Double> msPerRequest = new ArrayList<>();
        for (int round = 0; round < warmup + rounds; round++) {
            boolean measured = round >= warmup;
            // Several cycles per round, alternating, so that a round lasts long enough to outweigh timer and
            // scheduling noise: rate = snapshots of all cycles / their summed time.
            double pollerSeconds = 0;
            double rawSeconds = 0;
            for (int c = 0; c < CYCLES_PER_ROUND; c++) {
                pollerSeconds += tasks / pollerCycle();
                rawSeconds += tasks / rawFetch();
            }
            double p = CYCLES_PER_ROUND * tasks / pollerSeconds;
            double rp = (double) lastRequests / tasks;
            double r = CYCLES_PER_ROUND * tasks / rawSeconds;
            progress.accept(String.format("poller round %d%s: poller %.0f snapshots/s, raw fetch %.0f snapshots/s",
                    round + 1, measured ? "" : " (warm-up)", p, r));
            if (measured) {
                poller.add(p);
                raw.add(r);
                requestsPerSnapshot.add(rp);
                msPerRequest.add(1000.0 * tasks / r / lastRequests);
            }
        }
        Map<String, List<Double>> out = new LinkedHashMap<>();
        out.put("poller", poller);
        out.put("raw", raw);
        out.put("requestsPerSnapshot", requestsPerSnapshot);
        out.put("msPerRequest", msPerRequest);
        return out;
    }

    /** One full list cycle of a fresh poller (first cycle: the whole history); snapshots/s. */
    double pollerCycle() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountingSink sink = new CountingSink();
        PolledTarget polled = new PolledTarget(target, dialect, authenticator);
        int maxPages = tasks / pageSize() + 10;
        PollerSettings settings = new PollerSettings(Duration.ofSeconds(30), maxPages, Duration.ofSeconds(60),
                Duration.ofMinutes(5), 0.0);
        // Driven by hand on this thread: the first cycle (the whole history) runs request by request, unpaced.
        Poller poller = Poller.builder(settings, List.of(polled))
                .rateLimits(Map.of("bench", new RateLimit(RATE_LIMIT))).snapshots(sink)
                .watch(WatchSet.forTargets(List.of(polled), registry), key -> { }).http(unirest).metrics(registry)
                .clock(Clock.systemUTC()).random(() -> 0.0).manual().build();
        try {
            poller.start();
            long t0 = System.nanoTime();
            long deadline = t0 + Duration.ofMinutes(5).toNanos();
            while (sink.published() < tasks && poller.health().get(0).lastError() == null
                    && System.nanoTime() < deadline) {
                poller.runDue();
            }
            long elapsed = System.nanoTime() - t0;
            if (sink.published() != tasks) {
                throw new IllegalStateException("The poller published " + sink.published() + " snapshots of "
                        + tasks + " tasks in one cycle; health " + poller.health());
            }
            lastRequests = (long) registry.find("taskwatch.poller.requests").counters().stream()
                    .mapToDouble(Counter::count).sum();
            return tasks / (elapsed / 1e9);
        } finally {
            poller.close();
        }
    }

    /** The pages the last poller cycle requested, fetched in a bare loop; snapshots/s. */
    double rawFetch() throws Exception {
        int limit = pageSize();
        Instant now = Instant.now();
        TimeWindow window = new TimeWindow(now.minus(Duration.ofDays(29)), now.plus(Duration.ofMinutes(5)));
        long bytes = 0;
        int requests = 0;
        long t0 = System.nanoTime();
        long pages = lastRequests > 0 ? lastRequests : (tasks + limit - 1) / limit;
        for (int page = 0; page < pages; page++) {
            int offset = page * limit;
            ApiRequest request = dialect.listing().orElseThrow().listRequest(target, window, offset, limit);
            URI uri = TaskCenterHttp.uri(target.endpoint(), request);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Accept", "application/json");
            headers.putAll(authenticator.authenticate(new SignableRequest(request.method(), uri, Map.copyOf(headers),
                    new byte[0])));
            HttpResponse<String> response = unirest.request(request.method(), uri.toString()).headers(headers)
                    .requestTimeout(30_000).asString();
            if (response.getStatus() != 200) {
                throw new IllegalStateException("Raw fetch of " + uri + " got HTTP " + response.getStatus());
            }
            bytes += response.getBody().length();
            requests++;
        }
        long elapsed = System.nanoTime() - t0;
        lastBytes = bytes;
        if (requests * (long) limit < tasks) {
            throw new IllegalStateException("Raw fetch made too few requests");
        }
        return tasks / (elapsed / 1e9);
    }

    long lastRawBytes() {
        return lastBytes;
    }

    @Override
    public void close() {
        unirest.close();
        simulator.close();
    }
}
