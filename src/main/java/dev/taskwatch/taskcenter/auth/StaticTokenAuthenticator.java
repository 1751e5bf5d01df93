package dev.taskwatch.taskcenter.auth;

import java.util.Map;
import java.util.Objects;

/**
 * A ready IAM token from the configuration, sent as {@code X-Auth-Token}. It cannot be refreshed: after a 401 the
 * same token is sent again, and the caller reports the target's authentication problem.
 */
public final class StaticTokenAuthenticator implements Authenticator {

    public static final String HEADER = "X-Auth-Token";

    private final Credentials.StaticToken credentials;

    public StaticTokenAuthenticator(Credentials.StaticToken credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        if (credentials.token() == null || credentials.token().isBlank()) {
            throw new IllegalArgumentException("credentials." + credentials.name() + ".token is empty");
        }
    }

    @Override
    public Map<String, String> authenticate(SignableRequest request) {
        return Map.of(HEADER, credentials.token());
    }

    /** Nothing to forget: the configured token is all there is. */
    @Override
    public void invalidate() {}

    @Override
    public String describe() {
        return "token credential '" + credentials.name() + "'";
    }

    @Override
    public String toString() {
        return describe();
    }
}
