package dev.taskwatch.poller;

import dev.taskwatch.Causes;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.AuthenticationException;
import dev.taskwatch.taskcenter.auth.Authenticator;
import dev.taskwatch.taskcenter.auth.SignableRequest;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.UnirestException;
import kong.unirest.core.UnirestInstance;

/**
 * Executes task-center requests with Unirest: URL = endpoint (which may carry a base path) + request path + encoded
 * query; authentication headers from the {@link Authenticator} over exactly that URL; a per-request timeout. The
 * connect timeout is the {@link UnirestInstance}'s configuration.
 */
public final class TaskCenterHttp implements TaskCenterClient {

    private final UnirestInstance unirest;
    private final Duration requestTimeout;
    private final Clock clock;

    public TaskCenterHttp(UnirestInstance unirest, Duration requestTimeout, Clock clock) {
        this.unirest = unirest;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    @Override
    public ApiResponse execute(Target target, ApiRequest request, Authenticator authenticator)
            throws TransportException, AuthenticationException {
        URI uri = uri(target.endpoint(), request);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.putAll(authenticator.authenticate(new SignableRequest(request.method(), uri, Map.copyOf(headers),
                new byte[0])));
        HttpResponse<String> response;
        try {
            response = unirest.request(request.method(), uri.toString())
                    .headers(headers)
                    .requestTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()))
                    .asString();
        } catch (UnirestException e) {
            throw transportFailure(target, request, e);
        }
        if (response.getStatus() == 0) {
            // a custom Unirest interceptor turned the failure into an empty response
            throw new TransportException(ResponseOutcome.CONNECTION, "No response from target " + target.name()
                    + " for " + request.method() + " " + request.path(), null);
        }
        String retryAfter = response.getHeaders().getFirst("Retry-After");
        return new ApiResponse(response.getStatus(), response.getBody(),
                retryAfter == null || retryAfter.isEmpty() ? null : retryAfter,
                clock.instant(), source(target.endpoint(), request));
    }

    private TransportException transportFailure(Target target, ApiRequest request, Exception e) {
        boolean timeout = Causes.has(e, HttpTimeoutException.class) || Causes.has(e, SocketTimeoutException.class);
        boolean connection = Causes.has(e, ConnectException.class);
        ResponseOutcome outcome = timeout && !connection ? ResponseOutcome.TIMEOUT : ResponseOutcome.CONNECTION;
        String what = outcome == ResponseOutcome.TIMEOUT ? "Timed out after " + requestTimeout.toMillis() + " ms"
                : "Could not connect";
        Throwable root = Causes.root(e);
        return new TransportException(outcome, what + " calling target " + target.name() + " at "
                + source(target.endpoint(), request) + ": " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : " " + root.getMessage()), e);
    }

    /** The full request URI: endpoint without trailing '/', then path, then the query in the dialect's order. */
    public static URI uri(URI endpoint, ApiRequest request) {
        String base = trimSlash(endpoint.toString());
        String query = request.query().entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return URI.create(base + request.path() + (query.isEmpty() ? "" : "?" + query));
    }

    /** Endpoint and path, no query: the {@code source} of snapshots. */
    public static String source(URI endpoint, ApiRequest request) {
        return trimSlash(endpoint.toString()) + request.path();
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** RFC 3986 percent-encoding ('+' in offsets like {@code +0000} becomes %2B, space %20). */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
