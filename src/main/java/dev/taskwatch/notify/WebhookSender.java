package dev.taskwatch.notify;

import dev.taskwatch.config.NotifyConfig.Webhook;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One webhook call: POST of a structured-mode CloudEvent with {@code Content-Type: application/cloudevents+json},
 * {@code Idempotency-Key: <event_id>} (the same on every retry and after a restart, so the receiver can drop
 * repeats), the rule's extra headers and, with a secret, {@link WebhookSignature#HEADER}.
 */
public final class WebhookSender {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final HttpClient http;

    public WebhookSender() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    public WebhookSender(HttpClient http) {
        this.http = http;
    }

    public Attempt send(Webhook webhook, String eventId, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url())
                .timeout(webhook.timeout())
                .header("Content-Type", TaskCloudEvents.CONTENT_TYPE)
                .header(IDEMPOTENCY_KEY, eventId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, String> h : webhook.headers().entrySet()) {
            request.setHeader(h.getKey(), h.getValue());
        }
        if (webhook.secret() != null && !webhook.secret().isEmpty()) {
            request.setHeader(WebhookSignature.HEADER, WebhookSignature.sign(webhook.secret(), body));
        }
        HttpResponse<Void> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            return Attempt.retryable("timeout after " + webhook.timeout().toMillis() + " ms", Optional.empty());
        } catch (ConnectException e) {
            return Attempt.retryable("connection refused", Optional.empty());
        } catch (IOException e) {
            return Attempt.retryable("I/O error: " + e.getClass().getSimpleName(), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.retryable("interrupted", Optional.empty());
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Attempt.delivered();
        }
        if (status == 408 || status == 429 || status >= 500) {
            return Attempt.retryable("HTTP " + status, retryAfter(response));
        }
        return Attempt.rejected("HTTP " + status);
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.strip())));
            } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date: the backoff decides
            }
        });
    }
}
