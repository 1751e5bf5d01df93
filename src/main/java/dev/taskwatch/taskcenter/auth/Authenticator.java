package dev.taskwatch.taskcenter.auth;

import java.util.Map;

/**
 * Adds authentication to task-center requests for one credential (and, for IAM tokens, one project scope).
 * Implementations: static token ({@code X-Auth-Token}), IAM password login (cached token from {@code POST
 * /v3/auth/tokens}, refreshed before expiry), AK/SK signing ({@code SDK-HMAC-SHA256}). Thread-safe. Neither the
 * headers nor any exception message may ever be logged with secret values.
 */
public interface Authenticator {

    /** Headers to add to {@code request}: a token header, or the signature headers. May call IAM to get a token. */
    Map<String, String> authenticate(SignableRequest request) throws AuthenticationException;

    /** The service answered 401: forget any cached token so that the next {@link #authenticate} gets a fresh one. */
    void invalidate();

    /** A description safe to log, e.g. {@code aksk credential 'prod' (AK ABCD****)}. */
    String describe();
}
