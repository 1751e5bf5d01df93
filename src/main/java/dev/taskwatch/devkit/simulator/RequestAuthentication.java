package dev.taskwatch.devkit.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a task-center request proves who sends it, as the API gateway checks it: an {@code X-Auth-Token} (one this
 * simulator's IAM issued and that has not expired, or one of {@link SimulatorSettings#acceptedTokens()}, or any when
 * none are set), or an AK/SK signature ({@code Authorization: SDK-HMAC-SHA256 Access=..., SignedHeaders=...,
 * Signature=...} with an {@code X-Sdk-Date} within {@link #MAX_CLOCK_SKEW} of the clock; the signature itself is
 * verified only for the access keys of {@link SimulatorSettings#accessKeys()}, see {@link AkSkVerifier}).
 */
final class RequestAuthentication {

    /** AK/SK requests whose X-Sdk-Date is further off than this are rejected, as the gateway does. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    private static final Pattern SDK_AUTHORIZATION = Pattern.compile(
            "SDK-HMAC-SHA256\\s+Access=([^,\\s]+),\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-fA-F]+)");
    private static final DateTimeFormatter SDK_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final SimulatorSettings settings;
    private final Clock clock;
    private final Map<String, Instant> issuedTokens = new ConcurrentHashMap<>();

    RequestAuthentication(SimulatorSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** A new token valid until {@code expires}, as IAM issues it. */
    String issueToken(Instant expires) {
        String token = "MIIsim" + UUID.randomUUID().toString().replace("-", "");
        issuedTokens.put(token, expires);
        return token;
    }

    /**
     * Who sent a request, never a secret (see {@link SimulatedRequest#caller()}): {@code iam} for a login,
     * {@code token:...}, {@code ak:...} or {@code anonymous}.
     */
    static String caller(HttpExchange exchange) {
        if (exchange.getRequestURI().getRawPath().equals(IamTokenApi.PATH)) {
            return "iam";
        }
        String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        if (token != null) {
            return SimulatedRequest.tokenCaller(token);
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Matcher signature = authorization == null ? null : SDK_AUTHORIZATION.matcher(authorization.trim());
        return signature != null && signature.matches() ? "ak:" + signature.group(1) : "anonymous";
    }

    /** Returns when the request is authenticated; raises the gateway's 401 {@code APIGW.0301} otherwise. */
    void authenticate(HttpExchange exchange) {
        String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        if (token != null) {
            checkToken(token);
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            checkSignature(exchange, authorization);
            return;
        }
        throw SimulatedApiError.unauthorized("no X-Auth-Token and no Authorization header").raise();
    }

    private void checkToken(String token) {
        if (token.isBlank()) {
            throw SimulatedApiError.unauthorized("empty X-Auth-Token").raise();
        }
        Instant expiry = issuedTokens.get(token);
        if (expiry != null) {
            if (clock.instant().isAfter(expiry)) {
                throw SimulatedApiError.unauthorized("the token has expired").raise();
            }
            return;
        }
        if (settings.acceptedTokens().isEmpty() || settings.acceptedTokens().contains(token)) {
            return;
        }
        throw SimulatedApiError.unauthorized("the token is not valid").raise();
    }

    private void checkSignature(HttpExchange exchange, String authorization) {
        Matcher signature = SDK_AUTHORIZATION.matcher(authorization.trim());
        if (!signature.matches()) {
            throw SimulatedApiError.unauthorized("Authorization is not 'SDK-HMAC-SHA256 Access=..., SignedHeaders=..., "
                    + "Signature=...'").raise();
        }
        String sdkDate = exchange.getRequestHeaders().getFirst("X-Sdk-Date");
        if (sdkDate == null) {
            throw SimulatedApiError.unauthorized("X-Sdk-Date is missing").raise();
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(sdkDate, SDK_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw SimulatedApiError.unauthorized("X-Sdk-Date is not yyyyMMdd'T'HHmmss'Z': '" + sdkDate + "'").raise();
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw SimulatedApiError.unauthorized("X-Sdk-Date is more than 15 minutes off").raise();
        }
        if (!settings.accessKeys().isEmpty()) {
            verifySignature(exchange, signature, sdkDate);
        }
    }

    private void verifySignature(HttpExchange exchange, Matcher authorization, String sdkDate) {
        String secret = settings.accessKeys().get(authorization.group(1));
        if (secret == null) {
            throw SimulatedApiError.unauthorized("unknown access key").raise();
        }
        List<String> signedHeaders = List.of(authorization.group(2).split(";"));
        if (!signedHeaders.contains("x-sdk-date")) {
            throw SimulatedApiError.unauthorized("x-sdk-date is not among the signed headers").raise();
        }
        URI uri = exchange.getRequestURI();
        String expected = AkSkVerifier.signature(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                signedHeaders, exchange.getRequestHeaders()::getFirst, new byte[0], sdkDate, secret);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                authorization.group(3).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw SimulatedApiError.unauthorized("the signature does not match").raise();
        }
    }
}
