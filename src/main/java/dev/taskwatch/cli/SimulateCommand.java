package dev.taskwatch.cli;

import dev.taskwatch.config.Durations;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.devkit.simulator.SimulatorSettings.Faults;
import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.Service;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code taskwatch simulate}: serves the simulated task center alone until SIGTERM / Ctrl-C. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Serves the simulated task center of GeminiDB, openGauss, DDS and TaurusDB (and an IAM token "
                + "endpoint) on one port, each service under its id, e.g. http://127.0.0.1:8088/dds.",
            "Point a target's endpoint at it. Stop with Ctrl-C or SIGTERM."})
public final class SimulateCommand implements Callable<Integer> {

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8088", description = "Port (0 picks a free one; default ${DEFAULT-VALUE}).")
    int port;

    // All interfaces by default: in a container (docker-compose, the dev overlay) the poller reaches it from another
    // host. It serves made-up tasks only; --host 127.0.0.1 keeps it to this machine.
    @Option(names = "--host", defaultValue = "0.0.0.0",
            description = "Address to bind (default ${DEFAULT-VALUE}, all interfaces, so that other containers reach "
                    + "it; 127.0.0.1 for this machine only).")
    String host;

    @Mixin
    SeedOption seed;

    @Option(names = "--project", paramLabel = "ID", description = "Project id random tasks are created in "
            + "(repeatable; default " + SimulatorSettings.DEFAULT_PROJECT + ").")
    List<String> projects;

    @Option(names = "--new-tasks-per-minute", defaultValue = "2", paramLabel = "N",
            description = "Mean arrival rate of random tasks over all services (0: scripted only; default ${DEFAULT-VALUE}).")
    double newTasksPerMinute;

    @Option(names = "--history-per-day", defaultValue = "0", paramLabel = "N",
            description = "Finished tasks a day per service and project already in the history at start, as a busy "
                    + "account has (default ${DEFAULT-VALUE}).")
    double historyPerDay;

    @Option(names = "--history-days", defaultValue = "7", paramLabel = "DAYS",
            description = "How many days back that history reaches, at most 30 (default ${DEFAULT-VALUE}).")
    int historyDays;

    @Option(names = "--mean-duration", defaultValue = "2m", paramLabel = "DURATION",
            description = "Mean run time of a random task (default ${DEFAULT-VALUE}).")
    String meanDuration;

    @Option(names = "--failure-probability", defaultValue = "0.1", paramLabel = "P",
            description = "Probability that a task fails (default ${DEFAULT-VALUE}).")
    double failureProbability;

    @Option(names = "--cancel-probability", defaultValue = "0.05", paramLabel = "P",
            description = "Probability that a task is canceled (GeminiDB, TaurusDB; default ${DEFAULT-VALUE}).")
    double cancelProbability;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "X-Auth-Token accepted (repeatable; default: any non-empty token).")
    List<String> tokens;

    @Option(names = "--throttle-probability", defaultValue = "0", paramLabel = "P",
            description = "HTTP 429 with Retry-After (default ${DEFAULT-VALUE}).")
    double throttleProbability;

    @Option(names = "--retry-after", defaultValue = "2s", paramLabel = "DURATION",
            description = "Retry-After of throttled answers (default ${DEFAULT-VALUE}).")
    String retryAfter;

    @Option(names = "--gateway-throttle-probability", defaultValue = "0", paramLabel = "P",
            description = "API gateway throttling, error code APIG.0308 (default ${DEFAULT-VALUE}).")
    double gatewayThrottleProbability;

    @Option(names = "--server-error-probability", defaultValue = "0", paramLabel = "P",
            description = "HTTP 500 (default ${DEFAULT-VALUE}).")
    double serverErrorProbability;

    @Option(names = "--slow-probability", defaultValue = "0", paramLabel = "P",
            description = "Answers delayed by --slow-delay (default ${DEFAULT-VALUE}).")
    double slowProbability;

    @Option(names = "--slow-delay", defaultValue = "3s", paramLabel = "DURATION",
            description = "Delay of slow answers (default ${DEFAULT-VALUE}).")
    String slowDelay;

    @Option(names = "--malformed-probability", defaultValue = "0", paramLabel = "P",
            description = "HTTP 200 with a truncated, invalid JSON body (default ${DEFAULT-VALUE}).")
    double malformedProbability;

    @Option(names = "--trailing-brace-probability", defaultValue = "0", paramLabel = "P",
            description = "HTTP 200 with a complete body followed by one '}' too many, as a broken gateway sends "
                    + "(default ${DEFAULT-VALUE}).")
    double trailingBraceProbability;

    @Option(names = "--offset-reading", defaultValue = "items", paramLabel = "items|pages",
            description = "How the openGauss list reads offset: items (an item offset from 0, as documented) or pages "
                    + "(a page number from 1, as the document's example and Terraform send it); default "
                    + "${DEFAULT-VALUE}.")
    String offsetReading;

    @Override
    public Integer call() throws Exception {
        SimulatorSettings settings = settings();
        if (historyPerDay < 0 || historyDays < 0 || historyDays > 30) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--history-per-day must not be negative and --history-days must be 0..30");
        }
        Simulator simulator = Simulator.start(settings);
        int history = simulator.tasks().seedFinishedHistory(historyPerDay, java.time.Duration.ofDays(historyDays));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "taskwatch-simulate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter err = spec.commandLine().getErr();
        err.println("Simulated task center on port " + simulator.port() + " (seed " + seed.seed() + ", "
                + newTasksPerMinute + " new tasks/min):");
        for (Service service : Service.values()) {
            err.printf("  %-10s %s%n", service.id(), local(simulator.endpoint(service).toString()));
        }
        err.println("  iam        " + local(simulator.iamEndpoint().toString()) + "/v3/auth/tokens");
        if (history > 0) {
            err.println("History: " + history + " finished tasks over the last " + historyDays + " days");
        }
        err.println("Projects: " + String.join(", ", settings.projects()) + "; tokens: "
                + (settings.acceptedTokens().isEmpty() ? "any" : settings.acceptedTokens().size() + " accepted"));
        err.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private OffsetReading offsetReading() {
        return switch (offsetReading.toLowerCase(java.util.Locale.ROOT)) {
            case "items" -> OffsetReading.ITEMS;
            case "pages" -> OffsetReading.PAGES;
            default -> throw new IllegalArgumentException("--offset-reading must be items or pages, not '"
                    + offsetReading + "'");
        };
    }

    /** The wildcard address is where it listens, not where to connect: show loopback instead. */
    private static String local(String url) {
        return url.replace("//0.0.0.0:", "//127.0.0.1:").replace("//[::]:", "//127.0.0.1:");
    }

    SimulatorSettings settings() {
        try {
            SimulatorSettings s = SimulatorSettings.defaults().withPort(port).withSeed(seed.seed())
                    .withRates(newTasksPerMinute, duration("--mean-duration", meanDuration), failureProbability,
                            cancelProbability)
                    .withFaults(Faults.none()
                            .withThrottle(throttleProbability, duration("--retry-after", retryAfter))
                            .withGatewayThrottle(gatewayThrottleProbability, 429)
                            .withServerErrors(serverErrorProbability)
                            .withSlowResponses(slowProbability, duration("--slow-delay", slowDelay))
                            .withMalformedBodies(malformedProbability)
                            .withTrailingBrace(trailingBraceProbability));
            if (projects != null && !projects.isEmpty()) {
                s = s.withProjects(projects);
            }
            if (tokens != null && !tokens.isEmpty()) {
                s = s.withAcceptedTokens(new LinkedHashSet<>(tokens));
            }
            return new SimulatorSettings(host, s.port(), s.seed(), s.projects(), s.services(), s.newTasksPerMinute(),
                    s.meanTaskDuration(), s.failureProbability(), s.cancelProbability(), s.notFoundGrace(),
                    s.acceptedTokens(), s.users(), s.accessKeys(), s.faults(), offsetReading());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    private static Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (RuntimeException e) {
            throw new UserInputException(option + ": '" + text + "' is not a duration (use e.g. 500ms, 30s, 2m)");
        }
    }
}
