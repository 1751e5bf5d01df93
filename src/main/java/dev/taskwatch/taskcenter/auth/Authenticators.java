package dev.taskwatch.taskcenter.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import kong.unirest.core.UnirestInstance;

/** The authenticator for a configured credential. */
public final class Authenticators {

    private Authenticators() {}

    /**
     * @param region    region of the target, for the default IAM endpoint
     * @param projectId project the IAM token is scoped to
     * @param http      for IAM logins (timeouts configured by the caller)
     * @param clock     for token expiry and signing dates
     */
    public static Authenticator create(Credentials credentials, String region, String projectId, UnirestInstance http,
            Clock clock) {
        return create(credentials, region, projectId, http, clock, new SimpleMeterRegistry());
    }

    /** @param registry where IAM logins are counted ({@code taskwatch.iam.requests}) */
    public static Authenticator create(Credentials credentials, String region, String projectId, UnirestInstance http,
            Clock clock, MeterRegistry registry) {
        if (credentials instanceof Credentials.StaticToken token) {
            return new StaticTokenAuthenticator(token);
        }
        if (credentials instanceof Credentials.Password password) {
            return new IamPasswordAuthenticator(password, region, projectId, http, clock, registry);
        }
        if (credentials instanceof Credentials.AkSk akSk) {
            return new AkSkAuthenticator(akSk, clock);
        }
        throw new IllegalArgumentException("Unknown credential type " + credentials.getClass().getSimpleName());
    }

    /**
     * The authenticator of IAM calls about the whole account (discovery's project list): a token or AK/SK as for a
     * target; a password login scoped to the credential's domain instead of a project.
     *
     * @param region the region whose IAM endpoint a password login uses when the credential names none
     */
    public static Authenticator forAccount(Credentials credentials, String region, UnirestInstance http, Clock clock,
            MeterRegistry registry) {
        if (credentials instanceof Credentials.Password password) {
            return IamPasswordAuthenticator.domainScoped(password, region, http, clock, registry);
        }
        return create(credentials, region, "-", http, clock, registry);
    }
}
