package dev.taskwatch.taskcenter.auth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Signs every request with an access key / secret key ({@link AkSkSigner}). Temporary credentials add
 * {@code X-Security-Token}, which is signed too. Nothing is cached, so {@link #invalidate()} has nothing to forget.
 */
public final class AkSkAuthenticator implements Authenticator {

    public static final String SECURITY_TOKEN_HEADER = "X-Security-Token";

    private final Credentials.AkSk credentials;
    private final AkSkSigner signer;
    private final Clock clock;

    public AkSkAuthenticator(Credentials.AkSk credentials, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (credentials.accessKey() == null || credentials.accessKey().isBlank()) {
            throw new IllegalArgumentException("credentials." + credentials.name() + ".access-key is empty");
        }
        if (credentials.secretKey() == null || credentials.secretKey().isEmpty()) {
            throw new IllegalArgumentException("credentials." + credentials.name() + ".secret-key is empty");
        }
        this.signer = new AkSkSigner(credentials.accessKey(), credentials.secretKey());
    }

    /** {@code X-Sdk-Date}, {@code Authorization} and, for temporary credentials, {@code X-Security-Token}. */
    @Override
    public Map<String, String> authenticate(SignableRequest request) {
        Map<String, String> added = new LinkedHashMap<>();
        SignableRequest toSign = request;
        if (hasSecurityToken()) {
            added.put(SECURITY_TOKEN_HEADER, credentials.securityToken());
            Map<String, String> headers = new LinkedHashMap<>(request.headers() == null ? Map.of() : request.headers());
            headers.put(SECURITY_TOKEN_HEADER, credentials.securityToken());
            toSign = new SignableRequest(request.method(), request.uri(), headers, request.body());
        }
        added.putAll(signer.sign(toSign, clock.instant()));
        return added;
    }

    @Override
    public void invalidate() {}

    @Override
    public String describe() {
        return "aksk credential '" + credentials.name() + "' (AK " + Masking.mask(credentials.accessKey())
                + (hasSecurityToken() ? ", temporary" : "") + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    private boolean hasSecurityToken() {
        return credentials.securityToken() != null && !credentials.securityToken().isBlank();
    }
}
