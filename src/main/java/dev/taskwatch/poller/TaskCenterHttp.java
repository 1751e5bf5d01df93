package dev.taskwatch.poller;

import dev.taskwatch.Causes;
import dev.taskwatch.http.BoundedBody;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.AuthenticationException;
import dev.taskwatch.taskcenter.auth.Authenticator;
import dev.taskwatch.taskcenter.auth.SignableRequest;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.net.http.HttpConnectTimeoutException;
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
 * query; authentication headers from the {@link Authenticator} over exactly that URL. Every answer is hostile input:
 * the request timeout bounds the whole exchange, body included; the body is read up to
 * {@code poller.max-response-size} and abandoned beyond it; a redirect is reported, never followed (the instance
 * from {@link dev.taskwatch.http.OutboundHttp} does not follow them, and a 3xx reaching this class is an error). The
 * connect timeout is the {@link UnirestInstance}'s configuration.
 */
public final class TaskCenterHttp implements TaskCenterClient {

    /** {@code poller.max-response-size} default: 10 MiB, some hundred times a full page of the largest dialect. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 10L * 1024 * 1024;

    private final UnirestInstance unirest;
    private final Duration requestTimeout;
    private final long maxResponseBytes;
    private final Clock clock;

    public TaskCenterHttp(UnirestInstance unirest, Duration requestTimeout, Clock clock) {
        this(unirest, requestTimeout, DEFAULT_MAX_RESPONSE_BYTES, clock);
    }

    /** @param maxResponseBytes {@code poller.max-response-size}: a larger body is malformed */
    public TaskCenterHttp(UnirestInstance unirest, Duration requestTimeout, long maxResponseBytes, Clock clock) {
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("poller.max-response-size must be positive, not " + maxResponseBytes);
        }
        this.unirest = unirest;
        this.requestTimeout = requestTimeout;
        this.maxResponseBytes = maxResponseBytes;
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
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        HttpResponse<BoundedBody> response;
        try {
            response = unirest.request(request.method(), uri.toString())
                    .headers(headers)
                    .requestTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()))
                    .asObject(raw -> BoundedBody.read(raw.getContent(), maxResponseBytes, deadline));
        } catch (UnirestException e) {
            throw transportFailure(target, request, e);
        }
        int status = response.getStatus();
        if (status == 0 || response.getBody() == null) {
            // a custom Unirest interceptor turned the failure into an empty response
            throw new TransportException(ResponseOutcome.CONNECTION, "No response from target " + target.name()
                    + " for " + request.method() + " " + request.path(), null);
        }
        if (status >= 300 && status < 400) {
            throw redirect(target, request, status, response.getHeaders().getFirst("Location"));
        }
        BoundedBody body = response.getBody();
        if (body.problem() != null) {
            throw bodyFailure(target, request, status, body);
        }
        String retryAfter = response.getHeaders().getFirst("Retry-After");
        return new ApiResponse(status, body.text(),
                retryAfter == null || retryAfter.isEmpty() ? null : retryAfter,
                clock.instant(), source(target.endpoint(), request));
    }

    /** Names the host the redirect points to, never the full Location (it may carry a token of its own). */
    private TransportException redirect(Target target, ApiRequest request, int status, String location) {
        String host;
        try {
            URI to = location == null ? null : URI.create(location.strip());
            host = to == null ? "no Location" : to.getHost() == null ? "the same host" : to.getHost();
        } catch (IllegalArgumentException e) {
            host = "an unparseable Location";
        }
        return new TransportException(ResponseOutcome.CLIENT_ERROR, "redirect", "Target " + target.name()
                + " answered HTTP " + status + " redirecting to " + host + " for " + request.method() + " "
                + source(target.endpoint(), request) + "; redirects are never followed (they would carry the "
                + "credential elsewhere): configure the endpoint the task center really serves", null);
    }

    private TransportException bodyFailure(Target target, ApiRequest request, int status, BoundedBody body) {
        String where = " from target " + target.name() + " at " + source(target.endpoint(), request);
        return switch (body.problem()) {
            case TOO_LARGE -> new TransportException(null, "malformed", "Malformed response" + where + " (HTTP "
                    + status + "): body larger than poller.max-response-size (" + maxResponseBytes
                    + " bytes); abandoned after " + body.bytesRead() + " bytes", null);
            case TIMED_OUT -> new TransportException(ResponseOutcome.TIMEOUT, "Timed out after "
                    + requestTimeout.toMillis() + " ms reading the body" + where + " (HTTP " + status + ", "
                    + body.bytesRead() + " bytes received)", null);
            case BROKEN -> new TransportException(ResponseOutcome.CONNECTION, "Connection broken while reading "
                    + "the body" + where + " (HTTP " + status + ", " + body.bytesRead() + " bytes received): "
                    + body.failure().getClass().getSimpleName(), body.failure());
        };
    }

    private TransportException transportFailure(Target target, ApiRequest request, Exception e) {
        boolean timeout = Causes.has(e, HttpTimeoutException.class) || Causes.has(e, SocketTimeoutException.class);
        boolean connection = Causes.has(e, ConnectException.class);
        ResponseOutcome outcome = timeout && !connection ? ResponseOutcome.TIMEOUT : ResponseOutcome.CONNECTION;
        String what = outcome == ResponseOutcome.TIMEOUT ? "Timed out after " + requestTimeout.toMillis() + " ms"
                : "Could not connect";
        return new TransportException(outcome, what + " calling target " + target.name() + " at "
                + source(target.endpoint(), request) + ": " + cause(e), e);
    }

    /**
     * What an operator needs to read: the JDK client reports a refused connection as a ConnectException wrapping
     * a ClosedChannelException, which said nothing useful.
     */
    static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connect timed out";
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
        }
        Throwable root = Causes.root(e);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
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
