package dev.taskwatch.taskcenter.auth;

import dev.taskwatch.Causes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwatch.http.BoundedBody;
import dev.taskwatch.http.RequestOutcomes;
import dev.taskwatch.taskcenter.ApiError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.UnirestException;
import kong.unirest.core.UnirestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IAM password login for a project-scoped token: {@code POST {iam}/v3/auth/tokens} with the OpenStack Keystone v3
 * password body (user name, password and domain name; scope: project id), token from the {@code X-Subject-Token}
 * response header, expiry from {@code token.expires_at} in the body (IAM tokens live 24 hours; 24 hours are assumed
 * when the body does not say).
 *
 * <p>The token is cached and fetched again {@link #DEFAULT_REFRESH_MARGIN} before it expires (or half-way through
 * its remaining life when it lives shorter than that), and at the first request after {@link #invalidate()}. When a
 * refresh ahead of expiry fails, the still-valid cached token keeps being used (and the failure logged) until it
 * expires. Thread-safe: concurrent callers wait for one login.
 *
 * <p>IAM answers are hostile input like task-center ones: a redirect is an error naming the Location host and is
 * never followed (following a 307 would post the password to that host; the client from
 * {@link dev.taskwatch.http.OutboundHttp} does not follow, and a 3xx reaching this class fails the login), the body
 * is read up to {@link #MAX_RESPONSE_BYTES} within {@link #LOGIN_TIMEOUT}. Every login is counted in
 * {@code taskwatch.iam.requests} {credential, outcome} with the bounded outcomes of {@link RequestOutcomes}.
 */
public final class IamPasswordAuthenticator implements Authenticator {

    public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofHours(1);
    static final Duration ASSUMED_LIFETIME = Duration.ofHours(24);
    /** A token body with a full service catalogue is some hundred KB; nothing legitimate comes near this. */
    static final long MAX_RESPONSE_BYTES = 4L * 1024 * 1024;
    /** The whole login exchange, body included. */
    static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(IamPasswordAuthenticator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Credentials.Password credentials;
    private final String projectId;
    private final String tokenUrl;
    private final UnirestInstance http;
    private final Clock clock;
    private final Duration refreshMargin;
    private final MeterRegistry registry;

    private String token;
    private Instant expiresAt;
    private Instant refreshAt;

    public IamPasswordAuthenticator(Credentials.Password credentials, String region, String projectId,
            UnirestInstance http, Clock clock) {
        this(credentials, region, projectId, http, clock, DEFAULT_REFRESH_MARGIN, new SimpleMeterRegistry());
    }

    public IamPasswordAuthenticator(Credentials.Password credentials, String region, String projectId,
            UnirestInstance http, Clock clock, MeterRegistry registry) {
        this(credentials, region, projectId, http, clock, DEFAULT_REFRESH_MARGIN, registry);
    }

    public IamPasswordAuthenticator(Credentials.Password credentials, String region, String projectId,
            UnirestInstance http, Clock clock, Duration refreshMargin) {
        this(credentials, region, projectId, http, clock, refreshMargin, new SimpleMeterRegistry());
    }

    public IamPasswordAuthenticator(Credentials.Password credentials, String region, String projectId,
            UnirestInstance http, Clock clock, Duration refreshMargin, MeterRegistry registry) {
        this(credentials, region, requireText(projectId, "project-id"), http, clock, refreshMargin, registry, true);
    }

    /**
     * A login scoped to the credential's domain (account) instead of a project: what discovery needs to list the
     * projects ({@code GET /v3/auth/projects} takes any user token).
     */
    static IamPasswordAuthenticator domainScoped(Credentials.Password credentials, String region,
            UnirestInstance http, Clock clock, MeterRegistry registry) {
        return new IamPasswordAuthenticator(credentials, region, null, http, clock, DEFAULT_REFRESH_MARGIN, registry,
                true);
    }

    private IamPasswordAuthenticator(Credentials.Password credentials, String region, String projectId,
            UnirestInstance http, Clock clock, Duration refreshMargin, MeterRegistry registry, boolean checked) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.projectId = projectId;
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refreshMargin = Objects.requireNonNull(refreshMargin, "refreshMargin");
        requireText(credentials.user(), "credentials." + credentials.name() + ".user");
        requireText(credentials.domain(), "credentials." + credentials.name() + ".domain");
        if (credentials.password() == null || credentials.password().isEmpty()) {
            throw new IllegalArgumentException("credentials." + credentials.name() + ".password is empty");
        }
        this.tokenUrl = tokenUrl(credentials.iamEndpoint(), region);
    }

    /**
     * {@code {iam-endpoint}/v3/auth/tokens}; the endpoint defaults to {@code https://iam.<region>.otc.t-systems.com}
     * and may be given with or without a trailing {@code /v3}.
     */
    static String tokenUrl(String iamEndpoint, String region) {
        String base = iamEndpoint == null || iamEndpoint.isBlank()
                ? "https://iam." + requireText(region, "region") + ".otc.t-systems.com"
                : iamEndpoint.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.endsWith("/v3")) {
            base = base.substring(0, base.length() - 3);
        }
        return base + "/v3/auth/tokens";
    }

    @Override
    public synchronized Map<String, String> authenticate(SignableRequest request) throws AuthenticationException {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(refreshAt)) {
            try {
                login(now);
            } catch (AuthenticationException e) {
                if (token != null && now.isBefore(expiresAt)) {
                    LOG.warn("Refreshing the IAM token of {} failed, using the cached one until {}: {}", describe(),
                            expiresAt, e.getMessage());
                } else {
                    throw e;
                }
            }
        }
        return Map.of(StaticTokenAuthenticator.HEADER, token);
    }

    @Override
    public synchronized void invalidate() {
        if (token != null) {
            LOG.info("Forgetting the IAM token of {}", describe());
        }
        token = null;
        expiresAt = null;
        refreshAt = null;
    }

    @Override
    public String describe() {
        return "password credential '" + credentials.name() + "' (user " + credentials.user() + ", domain "
                + credentials.domain() + (projectId == null ? ", domain scope" : ", project " + projectId) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    /** When the cached token expires; null when none is cached. For tests and health output. */
    synchronized Instant expiresAt() {
        return expiresAt;
    }

    private void login(Instant now) throws AuthenticationException {
        long deadline = System.nanoTime() + LOGIN_TIMEOUT.toNanos();
        HttpResponse<BoundedBody> response;
        try {
            response = http.post(tokenUrl)
                    .header("Content-Type", "application/json;charset=utf8")
                    .body(requestBody())
                    .requestTimeout((int) LOGIN_TIMEOUT.toMillis())
                    .asObject(raw -> BoundedBody.read(raw.getContent(), MAX_RESPONSE_BYTES, deadline));
        } catch (UnirestException e) {
            count(timedOut(e) ? "timeout" : "connection");
            throw new AuthenticationException("IAM at " + tokenUrl + " could not be reached for the login of user "
                    + who() + ": " + scrub(rootMessage(e)), e);
        }
        int status = response.getStatus();
        BoundedBody read = response.getBody();
        if (status >= 300 && status < 400) {
            count("redirect");
            throw new AuthenticationException("IAM at " + tokenUrl + " answered HTTP " + status + " redirecting to "
                    + locationHost(response.getHeaders().getFirst("Location")) + " for the login of user " + who()
                    + "; redirects are never followed (the password would go with it): set credentials."
                    + credentials.name() + ".iam-endpoint to the endpoint IAM really serves");
        }
        if (read == null || read.problem() != null) {
            count(read != null && read.problem() == BoundedBody.Problem.TIMED_OUT ? "timeout"
                    : read != null && read.problem() == BoundedBody.Problem.TOO_LARGE ? "malformed" : "connection");
            throw new AuthenticationException("IAM at " + tokenUrl + " answered the login of user " + who()
                    + " with HTTP " + status + " but its body " + (read == null ? "was lost"
                    : switch (read.problem()) {
                        case TOO_LARGE -> "exceeded " + MAX_RESPONSE_BYTES + " bytes";
                        case TIMED_OUT -> "did not arrive within " + LOGIN_TIMEOUT.toSeconds() + " s";
                        case BROKEN -> "broke off after " + read.bytesRead() + " bytes";
                    }));
        }
        String body = read.text();
        count(RequestOutcomes.of(status, ApiError.parse(body).map(ApiError::code).orElse(null)));
        if (status < 200 || status >= 300) {
            throw new AuthenticationException(failureMessage(status, body));
        }
        String subjectToken = response.getHeaders().getFirst("X-Subject-Token");
        if (subjectToken == null || subjectToken.isBlank()) {
            throw new AuthenticationException("IAM at " + tokenUrl + " answered HTTP " + status + " to the login of "
                    + "user " + who() + " without an X-Subject-Token header");
        }
        Instant expiry = expiry(body, now);
        Duration remaining = Duration.between(now, expiry);
        Instant refresh = expiry.minus(refreshMargin);
        if (!refresh.isAfter(now)) {
            refresh = now.plus(remaining.dividedBy(2));
        }
        token = subjectToken;
        expiresAt = expiry;
        refreshAt = refresh;
        LOG.info("Obtained an IAM token for {}, valid until {}, refreshed from {}", describe(), expiry, refresh);
    }

    private void count(String outcome) {
        Counter.builder("taskwatch.iam.requests").tag("credential", credentials.name()).tag("outcome", outcome)
                .description("IAM password logins by outcome").register(registry).increment();
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String locationHost(String location) {
        try {
            URI to = location == null ? null : URI.create(location.strip());
            return to == null ? "no Location" : to.getHost() == null ? "the same host" : to.getHost();
        } catch (IllegalArgumentException e) {
            return "an unparseable Location";
        }
    }

    private String requestBody() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode auth = root.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", credentials.user());
        user.put("password", credentials.password());
        user.putObject("domain").put("name", credentials.domain());
        if (projectId == null) {
            auth.putObject("scope").putObject("domain").put("name", credentials.domain());
        } else {
            auth.putObject("scope").putObject("project").put("id", projectId);
        }
        return root.toString();
    }

    private Instant expiry(String body, Instant now) {
        try {
            JsonNode expires = JSON.readTree(body == null ? "" : body).path("token").path("expires_at");
            if (expires.isTextual()) {
                return OffsetDateTime.parse(expires.asText().strip()).toInstant();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException | DateTimeParseException e) {
            LOG.warn("IAM token of {} has an unreadable token.expires_at ({}); assuming {}", describe(),
                    e.getClass().getSimpleName(), ASSUMED_LIFETIME);
            return now.plus(ASSUMED_LIFETIME);
        }
        LOG.warn("IAM token of {} comes without token.expires_at; assuming {}", describe(), ASSUMED_LIFETIME);
        return now.plus(ASSUMED_LIFETIME);
    }

    private String failureMessage(int status, String body) {
        String detail = ApiError.parse(body).map(ApiError::describe).map(this::scrub).map(d -> ": " + d).orElse("");
        String where = " (HTTP " + status + " from " + tokenUrl + detail + ")";
        return switch (status) {
            case 401 -> "IAM rejected the password login of user " + who() + where;
            case 403 -> "IAM refused user " + who() + " a token for project " + projectId + where;
            case 404 -> "IAM does not know the user, domain or project of the login of user " + who()
                    + " for project " + projectId + where;
            default -> "IAM login of user " + who() + " for project " + projectId + " failed" + where;
        };
    }

    private String who() {
        return "'" + credentials.user() + "' in domain '" + credentials.domain() + "'";
    }

    /** Removes the password from text that came from elsewhere, should a server ever echo it. */
    private String scrub(String text) {
        String password = credentials.password();
        if (text == null || password.length() < 4) {
            return text;
        }
        return text.replace(password, "****");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = Causes.root(e);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return value;
    }
}
