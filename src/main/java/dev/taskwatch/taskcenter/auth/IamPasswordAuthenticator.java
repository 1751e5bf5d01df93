package dev.taskwatch.taskcenter.auth;

import dev.taskwatch.Causes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskwatch.taskcenter.ApiError;
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
 */
public final class IamPasswordAuthenticator implements Authenticator {

    public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofHours(1);
    static final Duration ASSUMED_LIFETIME = Duration.ofHours(24);

    private static final Logger LOG = LoggerFactory.getLogger(IamPasswordAuthenticator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Credentials.Password credentials;
    private final String projectId;
    private final String tokenUrl;
    private final UnirestInstance http;
    private final Clock clock;
    private final Duration refreshMargin;

    private String token;
    private Instant expiresAt;
    private Instant refreshAt;

    public IamPasswordAuthenticator(Credentials.Password credentials, String region, String projectId,
            UnirestInstance http, Clock clock) {
        this(credentials, region, projectId, http, clock, DEFAULT_REFRESH_MARGIN);
    }

    public IamPasswordAuthenticator(Credentials.Password credentials, String region, String projectId,
            UnirestInstance http, Clock clock, Duration refreshMargin) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.projectId = requireText(projectId, "project-id");
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
                + credentials.domain() + ", project " + projectId + ")";
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
        HttpResponse<String> response;
        try {
            response = http.post(tokenUrl)
                    .header("Content-Type", "application/json;charset=utf8")
                    .body(requestBody())
                    .asString();
        } catch (UnirestException e) {
            throw new AuthenticationException("IAM at " + tokenUrl + " could not be reached for the login of user "
                    + who() + ": " + scrub(rootMessage(e)), e);
        }
        int status = response.getStatus();
        if (status < 200 || status >= 300) {
            throw new AuthenticationException(failureMessage(status, response.getBody()));
        }
        String subjectToken = response.getHeaders().getFirst("X-Subject-Token");
        if (subjectToken == null || subjectToken.isBlank()) {
            throw new AuthenticationException("IAM at " + tokenUrl + " answered HTTP " + status + " to the login of "
                    + "user " + who() + " without an X-Subject-Token header");
        }
        Instant expiry = expiry(response.getBody(), now);
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

    private String requestBody() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode auth = root.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", credentials.user());
        user.put("password", credentials.password());
        user.putObject("domain").put("name", credentials.domain());
        auth.putObject("scope").putObject("project").put("id", projectId);
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
