package dev.taskwatch.poller;

import dev.taskwatch.taskcenter.auth.Authenticator;
import dev.taskwatch.taskcenter.auth.SignableRequest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Hands out {@code token-1}, then {@code token-2} after an invalidation, ... as X-Auth-Token; counts invalidations. */
final class TestAuthenticator implements Authenticator {

    final AtomicInteger invalidations = new AtomicInteger();
    volatile SignableRequest lastRequest;

    @Override
    public Map<String, String> authenticate(SignableRequest request) {
        lastRequest = request;
        return Map.of("X-Auth-Token", "token-" + (invalidations.get() + 1));
    }

    @Override
    public void invalidate() {
        invalidations.incrementAndGet();
    }

    @Override
    public String describe() {
        return "test token";
    }
}
