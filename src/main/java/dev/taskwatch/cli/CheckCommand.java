package dev.taskwatch.cli;

import dev.taskwatch.Urls;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.config.TaskwatchConfig.TargetConfig;
import dev.taskwatch.poller.ApiResponse;
import dev.taskwatch.poller.ResponseOutcome;
import dev.taskwatch.poller.StatusCodeResponsePolicy;
import dev.taskwatch.poller.TaskCenterHttp;
import dev.taskwatch.poller.TransportException;
import dev.taskwatch.assembly.PollerAssembly;
import dev.taskwatch.assembly.TargetDiscovery;
import dev.taskwatch.poller.PolledTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.Normalisation;
import dev.taskwatch.taskcenter.MalformedResponseException;
import dev.taskwatch.taskcenter.ListQuery;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.OffsetReadingProbe;
import dev.taskwatch.taskcenter.GetByIdDialect;
import dev.taskwatch.taskcenter.ListingDialect;
import dev.taskwatch.taskcenter.TaskCenterDialect;
import dev.taskwatch.taskcenter.TaskPage;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TimeWindow;
import dev.taskwatch.taskcenter.auth.AuthenticationException;
import dev.taskwatch.taskcenter.auth.Authenticator;
import dev.taskwatch.taskcenter.auth.Authenticators;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import dev.taskwatch.http.OutboundHttp;
import kong.unirest.core.UnirestInstance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code taskwatch check}: validates the configuration, then sends one request per target (a one-page list of the
 * last day, or a get-by-id of a dummy id for get-by-id-only services, where "not found" proves the credentials work)
 * and prints one line per target. Exit 0 when every target answered as expected, 1 otherwise. Never prints a secret:
 * the lines carry HTTP status, API error code and message, as the poller's own logs do.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validates the configuration and tries one request per target, printing one line per target.",
            "Exit codes: 0 every target OK, 1 some target failed, 2 invalid configuration."})
public final class CheckCommand implements Callable<Integer> {

    /** An id no task has: a get-by-id of it answers "not found" when the request is otherwise accepted. */
    static final String DUMMY_TASK_ID = "00000000-0000-0000-0000-000000000000";

    @Mixin
    CommonOptions common;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        if (common.config().isEmpty()) {
            throw new UserInputException("check needs a configuration file: --config FILE (or TASKWATCH_CONFIG)");
        }
        TaskwatchConfig config = common.load();
        PrintWriter out = common.out();
        out.println("Configuration " + common.config().get() + " is valid.");
        if (!config.targetsConfigured()) {
            out.println("No targets configured: `taskwatch run` would poll the built-in simulator.");
            out.flush();
            return ExitCodes.OK;
        }
        int failed = 0;
        int width = config.targets().stream().mapToInt(t -> t.target().name().length()).max().orElse(0);
        try (UnirestInstance http = OutboundHttp.create(config.pollerNetwork().clientSettings())) {
            TaskCenterHttp client = new TaskCenterHttp(http, config.poller().requestTimeout(),
                    config.pollerNetwork().maxResponseSize(), clock);
            for (TargetConfig tc : config.targets()) {
                Result r = check(config, tc, http, client);
                out.printf("%-4s %-" + width + "s  %s%n", r.ok() ? "OK" : "FAIL", tc.target().name(), r.detail());
                out.flush();
                failed += r.ok() ? 0 : 1;
            }
        }
        failed += checkDiscovery(config, out);
        int checks = config.targets().size() + config.discovery().credentials().size();
        String what = config.discovery().enabled() ? " checks" : " targets"; // discovery: one per credential
        out.println(failed == 0 ? "All " + checks + what + " OK." : failed + " of " + checks + what + " failed.");
        out.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.RUNTIME_FAILURE;
    }

    /** One IAM call per discovery credential: prints what it finds; returns how many credentials failed. */
    private int checkDiscovery(TaskwatchConfig config, PrintWriter out) {
        if (!config.discovery().enabled()) {
            return 0;
        }
        int failed = 0;
        try (UnirestInstance http = OutboundHttp.create(config.pollerNetwork().clientSettings())) {
            TaskCenterHttp client = new TaskCenterHttp(http, config.poller().requestTimeout(),
                    config.pollerNetwork().maxResponseSize(), clock);
            TargetDiscovery discovery = new TargetDiscovery(config, PollerAssembly.configuredTaskSources(config,
                    http, clock, new SimpleMeterRegistry()).targets(), client, http, clock, new SimpleMeterRegistry());
            for (TargetDiscovery.Preview p : discovery.preview()) {
                if (p.error() != null) {
                    out.println("FAIL discovery, credentials " + p.credential() + ": " + p.error());
                    failed++;
                    continue;
                }
                out.println("OK   discovery, credentials " + p.credential() + ": " + p.projects() + " projects, "
                        + p.targets().size() + " targets (instance lists are read when polling starts):");
                for (PolledTarget t : p.targets()) {
                    out.println("       " + t.target().name() + "  " + Urls.redact(t.target().endpoint()));
                }
            }
        }
        out.flush();
        return failed;
    }

    record Result(boolean ok, String detail) {}

    /** One target's check; the detail starts with the cloud and the resolved URL asked (without its query). */
    private Result check(TaskwatchConfig config, TargetConfig tc, UnirestInstance http, TaskCenterHttp client) {
        Result r = request(config, tc, http, client);
        return new Result(r.ok(), resolvedUrl(tc) + ": " + r.detail());
    }

    /** {@code [otc] https://dds.eu-de.otc.t-systems.com/v3/<project>/jobs}: what the poller will call. */
    static String resolvedUrl(TargetConfig tc) {
        Target target = tc.target();
        TaskCenterDialect dialect = tc.dialect();
        ApiRequest request = dialect.listing().isPresent()
                ? dialect.listing().get().listRequest(target, new TimeWindow(Instant.EPOCH, Instant.EPOCH.plus(Duration.ofDays(1))), 0,
                        dialect.listing().get().pageSize(10))
                : dialect.getById().orElseThrow().getRequest(target, DUMMY_TASK_ID);
        return "[" + tc.cloud().id() + "] " + Urls.redact(Normalisation.source(target.endpoint(), request));
    }

    private Result request(TaskwatchConfig config, TargetConfig tc, UnirestInstance http, TaskCenterHttp client) {
        Target target = tc.target();
        TaskCenterDialect dialect = tc.dialect();
        Authenticator auth = Authenticators.create(config.credentialsFor(tc), target.region(),
                target.projectId(), http, clock);
        ListingDialect listing = dialect.listing().orElse(null);
        GetByIdDialect getById = dialect.getById().orElse(null);
        boolean list = listing != null;
        Instant now = clock.instant();
        int limit = list ? listing.pageSize(10) : 0;
        TimeWindow lastDay = new TimeWindow(now.minus(Duration.ofDays(1)), now);
        ApiRequest request = list
                ? listing.listRequest(target, lastDay, 0, limit)
                : getById.getRequest(target, DUMMY_TASK_ID);
        ApiResponse response;
        try {
            response = client.execute(target, request, auth);
        } catch (TransportException e) {
            return new Result(false, "unreachable: " + e.getMessage());
        } catch (AuthenticationException e) {
            return new Result(false, "authentication failed (credentials " + target.credentials() + "): "
                    + e.getMessage());
        }
        ResponseOutcome outcome = new StatusCodeResponsePolicy().classify(response, !list,
                list ? (status, body) -> false : getById::isNotFound);
        String code = response.apiErrorCode() == null ? "" : " " + response.apiErrorCode();
        return switch (outcome) {
            case SUCCESS -> list ? parsed(listing, limit, target, response, lastDay, client, auth)
                    : new Result(true, "get-by-id answered (HTTP " + response.status() + ")");
            case NOT_FOUND -> new Result(true, "get-by-id of a dummy id answered \"not found\": credentials accepted");
            case UNAUTHORIZED -> new Result(false, "HTTP 401" + code + ": bad credentials ("
                    + target.credentials() + ")");
            case FORBIDDEN -> new Result(false, "HTTP 403" + code + ": no permission for " + target.service().id()
                    + " tasks in project " + target.projectId() + " (credentials " + target.credentials() + ")");
            case THROTTLED -> new Result(false, "HTTP " + response.status() + code + ": throttled; try again later");
            case SERVER_ERROR -> new Result(false, "HTTP " + response.status() + code + ": server error: "
                    + response.excerpt());
            case CLIENT_ERROR -> new Result(false, "HTTP " + response.status() + code + ": request rejected: "
                    + response.excerpt());
            case TIMEOUT, CONNECTION -> new Result(false, "unreachable (" + outcome + ")");
        };
    }

    private static Result parsed(ListingDialect listing, int limit, Target target, ApiResponse response,
            TimeWindow window, TaskCenterHttp client, Authenticator auth) {
        try {
            TaskPage page = listing.parseList(target, response.body(), limit, response.receivedAt(),
                    response.source());
            return new Result(true, "list answered (HTTP " + response.status() + ", " + page.tasks().size()
                    + " tasks in the last day on the first page"
                    + (page.rejects().isEmpty() ? "" : ", " + page.rejects().size() + " unreadable: "
                            + page.rejects().get(0).reason()) + ")"
                    + (listing.offsetReadingUncertain()
                            ? offsetReading(listing, limit, target, window, page, client, auth) : ""));
        } catch (MalformedResponseException e) {
            return new Result(false, "HTTP " + response.status() + " but malformed body: " + e.getMessage());
        }
    }

    /**
     * How this API reads {@code offset}, when public clients disagree on it: one more request (the poller's offset
     * probe) when the first page is full, so that what the poller will decide is visible before it runs.
     */
    private static String offsetReading(ListingDialect listing, int limit, Target target, TimeWindow window,
            TaskPage first, TaskCenterHttp client, Authenticator auth) {
        if (!OffsetReadingProbe.needed(first, limit)) {
            return "; offset reading not probed (the last day fits one page; the poller probes when it needs to)";
        }
        ListQuery probe = OffsetReadingProbe.probeQuery(ListQuery.of(window, 0, limit));
        try {
            ApiResponse answer = client.execute(target, listing.listRequest(target, probe), auth);
            if (answer.status() != 200) {
                return "; offset probe answered HTTP " + answer.status();
            }
            OffsetReadingProbe.Verdict verdict = OffsetReadingProbe.examine(first, listing.parseList(target,
                    answer.body(), limit, answer.receivedAt(), answer.source()));
            return "; offset " + verdict.decided().map(r -> r == OffsetReading.ITEMS ? "read as an item count"
                    : "read as a page number").orElse("reading undecided") + " (" + verdict.reason() + ")";
        } catch (TransportException | AuthenticationException | MalformedResponseException e) {
            return "; offset probe failed: " + e.getMessage();
        }
    }
}
