package dev.taskwatch.devkit.simulator;

import dev.taskwatch.taskcenter.OffsetReading;
import dev.taskwatch.taskcenter.Service;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the simulated task center can be told; {@link #defaults()} gives a lively but fault-free simulator.
 *
 * @param host                 address to bind, loopback by default
 * @param port                 port to bind; 0 picks a free one
 * @param seed                 seed of the task schedule (and, derived from it, of the fault draws)
 * @param projects             project ids that random tasks are created in (requests for any other project id are
 *                             answered too, from an empty task center unless tasks are scripted there)
 * @param services             services that random tasks are created for
 * @param newTasksPerMinute    mean arrival rate of random tasks over all services and projects (Poisson); 0 disables
 * @param meanTaskDuration     mean run time of a random task (exponential, at least 5 seconds)
 * @param failureProbability   probability that a random task ends Failed
 * @param cancelProbability    probability that a random task ends Canceled, for services that have that status
 *                             (GeminiDB, TaurusDB); elsewhere the draw ends the task Completed
 * @param notFoundGrace        a get-by-id of a task younger than this answers "not found", as the real API does
 * @param acceptedTokens       X-Auth-Token values accepted; empty accepts any non-empty token. Tokens issued by the
 *                             simulated IAM endpoint are always accepted.
 * @param users                IAM password users (name to password) accepted by {@code POST /v3/auth/tokens}; empty
 *                             accepts any user with a non-empty password
 * @param accessKeys           AK/SK pairs (access key to secret key) whose signatures are verified in full; empty
 *                             checks only the form of the Authorization and X-Sdk-Date headers
 * @param faults               fault injection probabilities
 * @param offsetReading        how the openGauss list reads its {@code offset} parameter: {@code ITEMS} (what the
 *                             document and the SDK model say, the default) or {@code PAGES} (a page number from 1, as
 *                             the document's own example and terraform-provider-huaweicloud send it), so that tests
 *                             can play either reading; 0 and 1 both mean the first page under {@code PAGES}
 */
public record SimulatorSettings(
        String host,
        int port,
        long seed,
        List<String> projects,
        Set<Service> services,
        double newTasksPerMinute,
        Duration meanTaskDuration,
        double failureProbability,
        double cancelProbability,
        Duration notFoundGrace,
        Set<String> acceptedTokens,
        Map<String, String> users,
        Map<String, String> accessKeys,
        Faults faults,
        OffsetReading offsetReading) {

    /** The project id used when none is configured (the one of the GeminiDB and DDS spec examples). */
    public static final String DEFAULT_PROJECT = "0549b4a43100d4f32f51c01c2fe4acdb";

    public SimulatorSettings {
        projects = List.copyOf(projects);
        services = services.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(services));
        acceptedTokens = Set.copyOf(acceptedTokens);
        users = Map.copyOf(users);
        accessKeys = Map.copyOf(accessKeys);
        if (projects.isEmpty()) {
            throw new IllegalArgumentException("projects: at least one project id is required");
        }
        requireProbability("failureProbability", failureProbability);
        requireProbability("cancelProbability", cancelProbability);
        if (failureProbability + cancelProbability > 1.0) {
            throw new IllegalArgumentException("failureProbability + cancelProbability must not exceed 1.0");
        }
        if (newTasksPerMinute < 0) {
            throw new IllegalArgumentException("newTasksPerMinute must not be negative: " + newTasksPerMinute);
        }
        if (meanTaskDuration.isNegative() || meanTaskDuration.isZero()) {
            throw new IllegalArgumentException("meanTaskDuration must be positive: " + meanTaskDuration);
        }
        java.util.Objects.requireNonNull(offsetReading, "offsetReading");
        if (notFoundGrace.isNegative()) {
            throw new IllegalArgumentException("notFoundGrace must not be negative: " + notFoundGrace);
        }
    }

    /** Loopback, free port, seed 42, one project, all services, 2 tasks a minute of about 2 minutes, no faults. */
    public static SimulatorSettings defaults() {
        return new SimulatorSettings("127.0.0.1", 0, 42L, List.of(DEFAULT_PROJECT), EnumSet.allOf(Service.class),
                2.0, Duration.ofMinutes(2), 0.1, 0.05, Duration.ofSeconds(5), Set.of(), Map.of(), Map.of(), Faults.none(),
                OffsetReading.ITEMS);
    }

    public SimulatorSettings withPort(int port) {
        return new SimulatorSettings(host, port, seed, projects, services, newTasksPerMinute, meanTaskDuration,
                failureProbability, cancelProbability, notFoundGrace, acceptedTokens, users, accessKeys, faults,
                offsetReading);
    }

    public SimulatorSettings withSeed(long seed) {
        return new SimulatorSettings(host, port, seed, projects, services, newTasksPerMinute, meanTaskDuration,
                failureProbability, cancelProbability, notFoundGrace, acceptedTokens, users, accessKeys, faults,
                offsetReading);
    }

    public SimulatorSettings withProjects(List<String> projects) {
        return new SimulatorSettings(host, port, seed, projects, services, newTasksPerMinute, meanTaskDuration,
                failureProbability, cancelProbability, notFoundGrace, acceptedTokens, users, accessKeys, faults,
                offsetReading);
    }

    public SimulatorSettings withRates(double newTasksPerMinute, Duration meanTaskDuration, double failureProbability,
            double cancelProbability) {
        return new SimulatorSettings(host, port, seed, projects, services, newTasksPerMinute, meanTaskDuration,
                failureProbability, cancelProbability, notFoundGrace, acceptedTokens, users, accessKeys, faults,
                offsetReading);
    }

    /** No random tasks at all: only what a test scripts. */
    public SimulatorSettings scriptedOnly() {
        return withRates(0.0, meanTaskDuration, failureProbability, cancelProbability);
    }

    public SimulatorSettings withNotFoundGrace(Duration notFoundGrace) {
        return new SimulatorSettings(host, port, seed, projects, services, newTasksPerMinute, meanTaskDuration,
                failureProbability, cancelProbability, notFoundGrace, acceptedTokens, users, accessKeys, faults,
                offsetReading);
    }

    public SimulatorSettings withAcceptedTokens(Set<String> acceptedTokens) {
        return new SimulatorSettings(host, port, seed, projects, services, newTasksPerMinute, meanTaskDuration,
                failureProbability, cancelProbability, notFoundGrace, acceptedTokens, users, accessKeys, faults,
                offsetReading);
    }

    public SimulatorSettings withUsers(Map<String, String> users) {
        return new SimulatorSettings(host, port, seed, projects, services, newTasksPerMinute, meanTaskDuration,
                failureProbability, cancelProbability, notFoundGrace, acceptedTokens, users, accessKeys, faults,
                offsetReading);
    }

    public SimulatorSettings withAccessKeys(Map<String, String> accessKeys) {
        return new SimulatorSettings(host, port, seed, projects, services, newTasksPerMinute, meanTaskDuration,
                failureProbability, cancelProbability, notFoundGrace, acceptedTokens, users, accessKeys, faults,
                offsetReading);
    }

    public SimulatorSettings withOffsetReading(OffsetReading offsetReading) {
        return new SimulatorSettings(host, port, seed, projects, services, newTasksPerMinute, meanTaskDuration,
                failureProbability, cancelProbability, notFoundGrace, acceptedTokens, users, accessKeys, faults,
                offsetReading);
    }

    public SimulatorSettings withFaults(Faults faults) {
        return new SimulatorSettings(host, port, seed, projects, services, newTasksPerMinute, meanTaskDuration,
                failureProbability, cancelProbability, notFoundGrace, acceptedTokens, users, accessKeys, faults,
                offsetReading);
    }

    @Override
    public String toString() {
        // accepted tokens and user passwords are secrets
        return "SimulatorSettings[host=" + host + ", port=" + port + ", seed=" + seed + ", projects=" + projects
                + ", services=" + services + ", newTasksPerMinute=" + newTasksPerMinute + ", meanTaskDuration="
                + meanTaskDuration + ", failureProbability=" + failureProbability + ", cancelProbability="
                + cancelProbability + ", notFoundGrace=" + notFoundGrace + ", acceptedTokens="
                + acceptedTokens.size() + " configured, users=" + users.keySet() + ", accessKeys=" + accessKeys.size()
                + " configured, faults=" + faults + ", offsetReading=" + offsetReading + "]";
    }

    static void requireProbability(String name, double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(name + " must be between 0.0 and 1.0: " + p);
        }
    }

    /**
     * Fault injection on task-center requests (not on the IAM endpoint). Each fault is drawn independently, in the
     * order of the components, from a random generator seeded from {@link #seed()}; the first that hits decides the
     * answer. Throttling and server errors are answered before authentication, as the API gateway does.
     *
     * @param throttleProbability        HTTP 429 with a {@code Retry-After} header of {@code retryAfter} (whole
     *                                   seconds) and an {@code APIGW.0308} body
     * @param gatewayThrottleProbability HTTP {@code gatewayThrottleStatus} with an {@code APIG.0308} body and no
     *                                   {@code Retry-After}
     * @param serverErrorProbability     HTTP 500 with an OTC error body
     * @param slowProbability            the answer is delayed by {@code slowDelay} (then served normally)
     * @param malformedProbability       HTTP 200 with the real body cut in half (invalid JSON)
     * @param trailingBraceProbability   HTTP 200 with one closing brace too many after the real body, the way the
     *                                   TaurusDB spec example is broken (a lenient parser accepts it silently)
     */
    public record Faults(
            double throttleProbability,
            Duration retryAfter,
            double gatewayThrottleProbability,
            int gatewayThrottleStatus,
            double serverErrorProbability,
            double slowProbability,
            Duration slowDelay,
            double malformedProbability,
            double trailingBraceProbability) {

        public Faults {
            requireProbability("throttleProbability", throttleProbability);
            requireProbability("gatewayThrottleProbability", gatewayThrottleProbability);
            requireProbability("serverErrorProbability", serverErrorProbability);
            requireProbability("slowProbability", slowProbability);
            requireProbability("malformedProbability", malformedProbability);
            requireProbability("trailingBraceProbability", trailingBraceProbability);
            if (gatewayThrottleStatus < 400 || gatewayThrottleStatus > 599) {
                throw new IllegalArgumentException("gatewayThrottleStatus must be an error status: "
                        + gatewayThrottleStatus);
            }
        }

        public static Faults none() {
            return new Faults(0, Duration.ofSeconds(2), 0, 429, 0, 0, Duration.ofSeconds(3), 0, 0);
        }

        public Faults withThrottle(double probability, Duration retryAfter) {
            return new Faults(probability, retryAfter, gatewayThrottleProbability, gatewayThrottleStatus,
                    serverErrorProbability, slowProbability, slowDelay, malformedProbability, trailingBraceProbability);
        }

        public Faults withGatewayThrottle(double probability, int status) {
            return new Faults(throttleProbability, retryAfter, probability, status, serverErrorProbability,
                    slowProbability, slowDelay, malformedProbability, trailingBraceProbability);
        }

        public Faults withServerErrors(double probability) {
            return new Faults(throttleProbability, retryAfter, gatewayThrottleProbability, gatewayThrottleStatus,
                    probability, slowProbability, slowDelay, malformedProbability, trailingBraceProbability);
        }

        public Faults withSlowResponses(double probability, Duration delay) {
            return new Faults(throttleProbability, retryAfter, gatewayThrottleProbability, gatewayThrottleStatus,
                    serverErrorProbability, probability, delay, malformedProbability, trailingBraceProbability);
        }

        public Faults withMalformedBodies(double probability) {
            return new Faults(throttleProbability, retryAfter, gatewayThrottleProbability, gatewayThrottleStatus,
                    serverErrorProbability, slowProbability, slowDelay, probability, trailingBraceProbability);
        }

        public Faults withTrailingBrace(double probability) {
            return new Faults(throttleProbability, retryAfter, gatewayThrottleProbability, gatewayThrottleStatus,
                    serverErrorProbability, slowProbability, slowDelay, malformedProbability, probability);
        }
    }
}
