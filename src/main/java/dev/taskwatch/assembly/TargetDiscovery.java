package dev.taskwatch.assembly;

import dev.taskwatch.config.DiscoveryConfig;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.config.TaskwatchConfig.CredentialConfig;
import dev.taskwatch.poller.ApiResponse;
import dev.taskwatch.poller.PolledTarget;
import dev.taskwatch.poller.Poller;
import dev.taskwatch.poller.TaskCenterClient;
import dev.taskwatch.taskcenter.CloudProfile;
import dev.taskwatch.taskcenter.Dialects;
import dev.taskwatch.taskcenter.IamProjects;
import dev.taskwatch.taskcenter.IamProjects.Project;
import dev.taskwatch.taskcenter.InstanceProbe;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.TaskCenterDialect;
import dev.taskwatch.taskcenter.auth.Authenticator;
import dev.taskwatch.taskcenter.auth.Authenticators;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import kong.unirest.core.UnirestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the targets of the {@code discovery:} section and keeps a {@link Poller}'s target set in step with them.
 *
 * <p>A {@link #refresh()} asks IAM, per discovery credential, for the projects it can access ({@code GET
 * /v3/auth/projects} at the credential's cloud's IAM endpoint, with the credential's authenticator; a password
 * credential logs in with a domain-scoped token). Every enabled project whose name starts with a wanted region and
 * passes the globs gives one candidate per wanted service: name {@code service/region/project-name}, endpoint from the
 * cloud's template (or {@code discovery.endpoint}), intervals from the discovery defaults. An explicit
 * {@code targets:} entry of the same service, region and project wins, and a project seen by two credentials is
 * polled with the first. Then each candidate of a service with a list API is probed once
 * ({@link InstanceProbe}: its instance list with {@code limit=1}): a project without an instance of the service is
 * polled at {@code empty-interval}. Get-by-id services (TaurusDB, RDS) are not probed: they cost nothing while no id
 * of theirs is watched.
 *
 * <p>Every request (IAM and probes) is {@linkplain Poller#submit queued on the credential's lane}, so it takes one of
 * the credential's slots like any task-center request. The target set changes as answers arrive: projects that are
 * gone or disabled are removed right after the IAM answer (their stored positions are left as they are), a new
 * candidate is added once its probe answered (so it starts at the right interval), a candidate whose emptiness changed
 * is replaced (resuming from its stored position). A failing IAM call changes nothing: the last known set stays; a
 * failing probe keeps what the last one said (unknown: polled at the normal interval).
 *
 * <p>Thread-safe: {@link #refresh()} may be called from any thread; the answers are handled on the lane threads.
 */
public final class TargetDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(TargetDiscovery.class);

    private final TaskwatchConfig config;
    private final DiscoveryConfig discovery;
    private final TaskCenterClient client;
    private final UnirestInstance http;
    private final Clock clock;
    private final MeterRegistry registry;
    private final List<PolledTarget> explicit;
    private final Set<String> explicitScopes = new HashSet<>();
    private final Set<String> explicitNames = new HashSet<>();
    /** The last project list each credential got from IAM. */
    private final Map<String, List<Project>> projects = new ConcurrentHashMap<>();
    /** What the last probe of each candidate said (by candidate name); absent: not known yet. */
    private final Map<String, Boolean> hasInstances = new ConcurrentHashMap<>();
    /** The candidates known now, by name, each with whether its probe answered in this process. */
    private final Map<String, Candidate> candidates = new ConcurrentHashMap<>();
    private final Map<String, Authenticator> authenticators = new ConcurrentHashMap<>();
    private volatile Consumer<List<PolledTarget>> apply = targets -> { };
    /** Requests of each credential's refresh still queued or running: a refresh starts only when none is. */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> outstanding = new ConcurrentHashMap<>();

    /**
     * @param explicit the configured targets, polled whatever discovery finds
     * @param client   the task-center client of the poller (timeouts, size bound, no redirects), for IAM as well
     */
    public TargetDiscovery(TaskwatchConfig config, List<PolledTarget> explicit, TaskCenterClient client,
            UnirestInstance http, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.discovery = config.discovery();
        this.explicit = List.copyOf(explicit);
        this.client = client;
        this.http = http;
        this.clock = clock;
        this.registry = registry;
        for (PolledTarget t : explicit) {
            explicitScopes.add(scope(t.target().service(), t.target().region(), t.target().projectId()));
            explicitNames.add(t.target().name());
        }
        Gauge.builder("taskwatch.discovery.targets", candidates, c -> c.values().stream()
                        .filter(Candidate::added).count())
                .description("Targets found by discovery and polled").register(registry);
        Gauge.builder("taskwatch.discovery.targets.empty", candidates, c -> c.values().stream()
                        .filter(x -> x.added() && Boolean.FALSE.equals(hasInstances.get(x.target().target().name())))
                        .count())
                .description("Discovered targets polled at discovery.empty-interval (no instance of the service)")
                .register(registry);
    }

    /** A discovered target and whether it is in the poller's set. */
    private record Candidate(PolledTarget target, boolean added) {}

    /** Keeps {@code poller}'s target set in step: explicit targets plus the discovered ones. */
    public void attach(Poller poller) {
        attach(targets -> poller.updateTargets(targets), (credential, request) -> poller.submit(credential, request));
    }

    private volatile Submitter submitter;

    /** How a request reaches a credential's lane: {@link Poller#submit} in production. */
    @FunctionalInterface
    interface Submitter {
        void submit(String credential, dev.taskwatch.poller.LaneRequest request);
    }

    void attach(Consumer<List<PolledTarget>> apply, Submitter submitter) {
        this.apply = apply;
        this.submitter = submitter;
    }

    /** Queues one refresh per discovery credential: the IAM call, then the probes (see the class comment). */
    public void refresh() {
        Submitter s = submitter;
        if (s == null) {
            throw new IllegalStateException("attach first");
        }
        for (String credential : discovery.credentials()) {
            java.util.concurrent.atomic.AtomicInteger pending = outstanding.computeIfAbsent(credential,
                    c -> new java.util.concurrent.atomic.AtomicInteger());
            if (!pending.compareAndSet(0, 1)) {
                LOG.info("Discovery: the previous refresh of credential {} is still running ({} requests left); "
                        + "this one is skipped", credential, pending.get());
                continue;
            }
            s.submit(credential, () -> {
                try {
                    refreshProjects(credential, s, pending);
                } finally {
                    pending.decrementAndGet();
                }
                return true;
            });
        }
    }

    private void refreshProjects(String credential, Submitter s, java.util.concurrent.atomic.AtomicInteger pending) {
        Optional<List<Project>> listed = listProjects(credential);
        if (listed.isEmpty()) {
            return; // the last known set stays
        }
        projects.put(credential, listed.get());
        Map<String, PolledTarget> wanted = wanted();
        boolean removed = candidates.keySet().removeIf(name -> !wanted.containsKey(name));
        hasInstances.keySet().removeIf(name -> !wanted.containsKey(name));
        if (removed) {
            applyNow();
        }
        for (PolledTarget candidate : wanted.values()) {
            if (!candidate.target().credentials().equals(credential)) {
                continue;
            }
            String name = candidate.target().name();
            if (candidate.dialect().listing().isEmpty()) {
                // get-by-id only: no probe, nothing to slow down
                candidates.put(name, new Candidate(candidate, true));
                applyNow();
                continue;
            }
            pending.incrementAndGet();
            s.submit(credential, () -> {
                try {
                    probe(candidate);
                } finally {
                    pending.decrementAndGet();
                }
                return true;
            });
        }
    }

    /**
     * What one credential's discovery finds now, without probing nor changing any poller: for {@code check}.
     *
     * @param error why the project list could not be read, or null
     */
    public record Preview(String credential, int projects, List<PolledTarget> targets, String error) {}

    /** One IAM call per discovery credential, synchronously; see {@link Preview}. */
    public List<Preview> preview() {
        List<Preview> out = new ArrayList<>();
        for (String credential : discovery.credentials()) {
            String[] error = new String[1];
            Optional<List<Project>> listed = listProjects(credential, e -> error[0] = e);
            listed.ifPresent(list -> projects.put(credential, list));
            List<PolledTarget> targets = wanted().values().stream()
                    .filter(t -> t.target().credentials().equals(credential)).toList();
            out.add(new Preview(credential, listed.map(List::size).orElse(0), targets, error[0]));
        }
        return out;
    }

    Optional<List<Project>> listProjects(String credential) {
        return listProjects(credential, error -> { });
    }

    /** Asks IAM for the projects of {@code credential} (on its lane); empty when the answer is no list. */
    private Optional<List<Project>> listProjects(String credential, Consumer<String> failure) {
        Counter.Builder outcome = Counter.builder("taskwatch.discovery.refreshes").tag("credential", credential)
                .description("IAM project-list calls of discovery, by outcome");
        CredentialConfig cc = config.credentials().get(credential);
        CloudProfile cloud = cloudOf(cc);
        String region = discovery.regions().isEmpty() ? cloud.homeRegion() : discovery.regions().get(0);
        URI iam = discovery.iamEndpoint() != null ? discovery.iamEndpoint() : cloud.iamEndpoint(region);
        Target iamTarget = new Target("discovery/" + credential, discovery.services().get(0), region, "-", iam,
                credential, discovery.refreshInterval(), discovery.refreshInterval(), Duration.ofDays(1));
        Authenticator authenticator = authenticators.computeIfAbsent("iam/" + credential,
                k -> Authenticators.forAccount(credentialsFor(cc, cloud, region), region, http, clock, registry));
        try {
            ApiResponse response = client.execute(iamTarget, IamProjects.request(), authenticator);
            if (response.status() == 401) {
                authenticator.invalidate();
            }
            if (response.status() < 200 || response.status() >= 300) {
                LOG.warn("Discovery: IAM answered HTTP {}{} to the project list of credential {}; the last known "
                        + "targets stay", response.status(), code(response), credential);
                failure.accept("IAM answered HTTP " + response.status() + code(response) + " at " + iam);
                outcome.tag("outcome", "failed").register(registry).increment();
                return Optional.empty();
            }
            List<Project> list = IamProjects.parse(response.body());
            outcome.tag("outcome", "ok").register(registry).increment();
            LOG.info("Discovery: credential {} sees {} projects", credential, list.size());
            return Optional.of(list);
        } catch (Exception e) {
            // transport, authentication or a malformed answer: messages never carry a secret
            LOG.warn("Discovery: the project list of credential {} failed ({}); the last known targets stay",
                    credential, e.getMessage());
            failure.accept("IAM project list at " + iam + " failed: " + e.getMessage());
            outcome.tag("outcome", "failed").register(registry).increment();
            return Optional.empty();
        }
    }

    private void probe(PolledTarget candidate) {
        String name = candidate.target().name();
        Service service = candidate.target().service();
        CloudProfile cloud = cloudOf(config.credentials().get(candidate.target().credentials()));
        try {
            ApiResponse response = client.execute(candidate.target(),
                    InstanceProbe.request(service, cloud, candidate.target().projectId()), candidate.authenticator());
            if (response.status() >= 200 && response.status() < 300) {
                boolean has = InstanceProbe.hasInstances(response.body());
                Boolean before = hasInstances.put(name, has);
                if (before != null && before != has) {
                    LOG.info("Discovery: target {} {} instances now", name, has ? "has" : "has no");
                }
            } else {
                LOG.warn("Discovery: the instance list of target {} answered HTTP {}{}; keeping what was known",
                        name, response.status(), code(response));
            }
        } catch (Exception e) {
            LOG.warn("Discovery: the instance list of target {} failed ({}); keeping what was known", name,
                    e.getMessage());
        }
        if (wanted().containsKey(name)) {
            candidates.put(name, new Candidate(candidate, true));
            applyNow();
        }
    }

    private synchronized void applyNow() {
        List<PolledTarget> all = new ArrayList<>(explicit);
        for (Candidate c : candidates.values()) {
            if (c.added()) {
                all.add(withInterval(c.target()));
            }
        }
        apply.accept(all);
    }

    /** The candidate at its interval: {@code empty-interval} when its last probe found no instance. */
    private PolledTarget withInterval(PolledTarget candidate) {
        Target t = candidate.target();
        if (!Boolean.FALSE.equals(hasInstances.get(t.name()))) {
            return candidate;
        }
        return new PolledTarget(new Target(t.name(), t.service(), t.region(), t.projectId(), t.endpoint(),
                t.credentials(), discovery.emptyInterval(), t.activeInterval(), t.lookback()), candidate.dialect(),
                candidate.authenticator(), candidate.pageSize());
    }

    /** Every candidate the last known project lists give, by name. */
    Map<String, PolledTarget> wanted() {
        Map<String, PolledTarget> out = new LinkedHashMap<>();
        Set<String> scopes = new HashSet<>(explicitScopes);
        for (String credential : discovery.credentials()) {
            for (PolledTarget t : candidatesOf(credential, projects.getOrDefault(credential, List.of()))) {
                if (scopes.add(scope(t.target().service(), t.target().region(), t.target().projectId()))
                        && !explicitNames.contains(t.target().name())) {
                    out.put(t.target().name(), t);
                }
            }
        }
        return out;
    }

    /** The targets {@code list} gives for {@code credential}, before explicit targets and other credentials. */
    List<PolledTarget> candidatesOf(String credential, Collection<Project> list) {
        CredentialConfig cc = config.credentials().get(credential);
        CloudProfile cloud = cloudOf(cc);
        List<PolledTarget> out = new ArrayList<>();
        for (Project p : list) {
            String region = p.region();
            if (!p.enabled() || region == null || !discovery.wantsRegion(region)
                    || !discovery.wantsProjectName(p.name())) {
                continue;
            }
            for (Service service : discovery.services()) {
                URI endpoint = discovery.endpoint() != null
                        ? URI.create(discovery.endpoint().replace("{service}", service.id()).replace("{region}",
                                region))
                        : cloud.endpoint(service, region);
                Target target = new Target(service.id() + "/" + region + "/" + p.name(), service, region, p.id(),
                        endpoint, credential, discovery.interval(), discovery.activeInterval(),
                        TaskwatchConfig.TargetConfig.defaultLookback());
                TaskCenterDialect dialect = Dialects.of(service, cloud);
                Authenticator authenticator = authenticators.computeIfAbsent(credential + "/" + region + "/" + p.id(),
                        k -> Authenticators.create(credentialsFor(cc, cloud, region), region, p.id(), http, clock,
                                registry));
                out.add(new PolledTarget(target, dialect, authenticator));
            }
        }
        return out;
    }

    /** The discovered targets polled now (for {@code check} and tests). */
    public List<PolledTarget> discovered() {
        return candidates.values().stream().filter(Candidate::added).map(c -> withInterval(c.target())).toList();
    }

    private static dev.taskwatch.taskcenter.auth.Credentials credentialsFor(CredentialConfig cc, CloudProfile cloud,
            String region) {
        dev.taskwatch.taskcenter.auth.Credentials credentials = cc.credentials();
        if (credentials instanceof dev.taskwatch.taskcenter.auth.Credentials.Password p && p.iamEndpoint() == null
                && cloud != CloudProfile.OTC) {
            return new dev.taskwatch.taskcenter.auth.Credentials.Password(p.name(), p.user(), p.password(),
                    p.domain(), cloud.iamEndpoint(region).toString());
        }
        return credentials;
    }

    private static CloudProfile cloudOf(CredentialConfig cc) {
        return cc.cloud() != null ? cc.cloud() : CloudProfile.OTC;
    }

    private static String code(ApiResponse response) {
        String code = response.apiErrorCode();
        return code == null ? "" : " " + code;
    }

    private static String scope(Service service, String region, String projectId) {
        return service.id() + "/" + region + "/" + projectId;
    }
}
