package dev.taskwatch.serde;

import dev.taskwatch.Urls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import kong.unirest.core.HttpRequest;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.UnirestException;
import kong.unirest.core.UnirestInstance;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent Schema Registry REST API over Unirest. Works with Confluent's registry and compatible ones (Apicurio's
 * {@code /apis/ccompat/v7}). Several URLs are tried in order; connection errors and 5xx are retried with exponential
 * backoff; 4xx map to typed exceptions carrying the registry's own message. Credentials are sent as headers and never
 * appear in messages.
 *
 * <p>A 409 on registration is either a real incompatibility or, on Apicurio, a lost race: two clients registering the
 * same new subject at once, the second answered "artifact ... already exists". So a 409 is followed by a lookup of the
 * schema under the subject; when it is there, its id is the answer, and only otherwise is the 409 an {@link
 * IncompatibleSchemaException}.
 *
 * <p>The outcome of the last call is kept for {@link #problem()}: cleared by any normal answer, set by an unreachable
 * registry (from the first failed attempt on, so readiness shows it while the retries run), a 401/403 or an
 * incompatible schema.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FIRST_BACKOFF_MS = 100;
    private static final int MAX_BACKOFF_SHIFT = 6;
    /** A {@link #ping()} asks whether the registry answers at all; it must not hang as long as a registration may. */
    private static final int PING_TIMEOUT_MS = 2_000;

    /** Waits between retry rounds; injectable so tests do not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d.toMillis());
    }

    private final List<String> baseUrls;
    private final UnirestInstance http;
    private final String authorization;
    private final int maxRetries;
    private final Sleeper sleeper;
    private final int requestTimeoutMs;
    private volatile String problem;

    public RestSchemaRegistryClient(AvroSerdeConfig config) {
        this(config, Sleeper.REAL);
    }

    /**
     * @param sleeper waits between retry rounds: {@code 100 ms * 2^(round-1)}, capped at 6.4 s, after every URL failed
     */
    public RestSchemaRegistryClient(AvroSerdeConfig config, Sleeper sleeper) {
        this.baseUrls = config.urls().stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
        this.maxRetries = config.maxRetries();
        this.sleeper = sleeper;
        this.requestTimeoutMs = config.requestTimeoutMs();
        this.http = kong.unirest.core.Unirest.spawnInstance();
        http.config().connectTimeout(config.requestTimeoutMs()).requestTimeout(config.requestTimeoutMs());
        javax.net.ssl.SSLContext tls = config.sslContext();
        if (tls != null) {
            // scoped to this client: javax.net.ssl.* would change what Kafka and the task-center client trust too
            http.config().sslContext(tls);
        }
        if (config.bearerToken() != null) {
            authorization = "Bearer " + config.bearerToken();
        } else if (config.basicAuthUserInfo() != null) {
            authorization = "Basic " + Base64.getEncoder()
                    .encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
        } else {
            authorization = null;
        }
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode body;
        try {
            body = call("register schema under subject '" + subject + "'", subject,
                    base -> http.post(base + "/subjects/" + enc(subject) + "/versions").body(schemaBody(schema)));
        } catch (IncompatibleSchemaException conflict) {
            // Apicurio answers 409 "already exists" to the loser of two concurrent first registrations.
            Optional<RegisteredSchema> registered;
            try {
                registered = lookup(subject, schema);
            } catch (SchemaRegistryUnavailableException down) {
                throw down; // retriable: the next attempt registers or looks up again
            } catch (SchemaRegistryException lookupFailed) {
                conflict.addSuppressed(lookupFailed); // the 409 is what the caller must see
                registered = Optional.empty();
            }
            if (registered.isPresent()) {
                log.debug("Registering under subject '{}' answered 409 but the schema is registered there (id {}): "
                        + "a concurrent registration", subject, registered.get().id());
                return registered.get().id();
            }
            problem = "schema registry " + redactedUrls() + " refuses the schema of subject '" + subject
                    + "' as incompatible: " + conflict.reason();
            throw conflict;
        }
        return body.path("id").asInt();
    }

    @Override
    public Schema getById(int id) {
        JsonNode body = call("fetch schema id " + id, null, base -> http.get(base + "/schemas/ids/" + id));
        return new Schema.Parser().parse(body.path("schema").asText());
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        try {
            JsonNode body = call("look up schema under subject '" + subject + "'", subject,
                    base -> http.post(base + "/subjects/" + enc(subject)).body(schemaBody(schema)));
            return Optional.of(new RegisteredSchema(subject, body.path("id").asInt(), body.path("version").asInt(),
                    schema));
        } catch (SchemaNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode body = call("fetch latest version of subject '" + subject + "'", subject,
                base -> http.get(base + "/subjects/" + enc(subject) + "/versions/latest"));
        return new RegisteredSchema(subject, body.path("id").asInt(), body.path("version").asInt(),
                new Schema.Parser().parse(body.path("schema").asText()));
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema) {
        try {
            JsonNode body = call("test compatibility with subject '" + subject + "'", subject,
                    base -> http.post(base + "/compatibility/subjects/" + enc(subject) + "/versions/latest?verbose=true")
                            .body(schemaBody(schema)));
            List<String> messages = new ArrayList<>();
            // Confluent answers (verbose=true) with a "messages" array; Apicurio's ccompat API with one "reason".
            body.path("messages").forEach(m -> messages.add(m.asText()));
            if (body.hasNonNull("reason")) {
                messages.add(body.get("reason").asText());
            }
            return new CompatibilityResult(body.path("is_compatible").asBoolean(), List.copyOf(messages));
        } catch (SchemaNotFoundException e) {
            return CompatibilityResult.ok(); // no version yet: anything is compatible
        }
    }

    @Override
    public String getCompatibility(String subject) {
        if (subject == null) { // the global level, as setCompatibility(null, ...) sets it
            return call("read global compatibility", null, base -> http.get(base + "/config"))
                    .path("compatibilityLevel").asText();
        }
        try {
            JsonNode body = call("read compatibility of subject '" + subject + "'", subject,
                    base -> http.get(base + "/config/" + enc(subject) + "?defaultToGlobal=true"));
            return body.path("compatibilityLevel").asText();
        } catch (SchemaNotFoundException e) {
            JsonNode body = call("read global compatibility", null, base -> http.get(base + "/config"));
            return body.path("compatibilityLevel").asText();
        }
    }

    @Override
    public void setCompatibility(String subject, String level) {
        SchemaCompatibilityRules.requireKnownLevel(level);
        ObjectNode json = JSON.createObjectNode().put("compatibility", level);
        String path = subject == null ? "/config" : "/config/" + enc(subject);
        call("set compatibility " + level + (subject == null ? "" : " on subject '" + subject + "'"), subject,
                base -> http.put(base + path).body(json.toString()));
    }

    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** {@code GET /config} on each URL in turn, once, with a short timeout; the first normal answer is enough. */
    @Override
    public void ping() {
        SchemaRegistryException last = null;
        for (String base : baseUrls) {
            HttpResponse<String> response;
            try {
                response = authorize(http.get(base + "/config").requestTimeout(Math.min(PING_TIMEOUT_MS,
                        requestTimeoutMs))).asString();
            } catch (UnirestException e) {
                last = new SchemaRegistryUnavailableException(unreachable(rootMessage(e)), e);
                continue;
            }
            int status = response.getStatus();
            if (status >= 200 && status < 300) {
                problem = null;
                return;
            }
            if (status >= 500) {
                last = new SchemaRegistryUnavailableException(unreachable("HTTP " + status + " from "
                        + Urls.redact(base)), null);
                continue;
            }
            SchemaRegistryException refused = clientError("read the global compatibility level", null,
                    Urls.redact(base), status, response.getBody());
            noteRefusal(refused, Urls.redact(base));
            throw refused;
        }
        problem = last.getMessage();
        throw last;
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpRequest<?> authorize(HttpRequest<?> request) {
        HttpRequest<?> r = request.header("Accept", CONTENT_TYPE).header("Content-Type", CONTENT_TYPE);
        return authorization == null ? r : r.header("Authorization", authorization);
    }

    private String redactedUrls() {
        return baseUrls.size() == 1 ? Urls.redact(baseUrls.get(0))
                : baseUrls.stream().map(Urls::redact).toList().toString();
    }

    /** The readiness line of an unreachable registry: {@code schema registry unreachable at <url> (<cause>)}. */
    private String unreachable(String cause) {
        return "schema registry unreachable at " + redactedUrls() + " (" + cause + ")";
    }

    private void noteRefusal(SchemaRegistryException e, String base) {
        if (e instanceof SchemaRegistryRefusedException refused) {
            problem = "schema registry at " + base + " refuses taskwatch: HTTP " + refused.status()
                    + ", check schema-registry.basic-auth-user-info / bearer-token and the account's permissions";
        }
    }

    @FunctionalInterface
    private interface RequestFor {
        HttpRequest<?> at(String baseUrl);
    }

    /** Runs one API call: every URL in turn, retrying transient failures, mapping errors to typed exceptions. */
    private JsonNode call(String what, String subject, RequestFor request) {
        Exception lastTransient = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0) {
                sleep(FIRST_BACKOFF_MS << Math.min(attempt - 1, MAX_BACKOFF_SHIFT));
            }
            for (String base : baseUrls) {
                HttpResponse<String> response;
                try {
                    response = authorize(request.at(base)).asString();
                } catch (UnirestException e) {
                    // The cause, not Unirest's wrapper: its message is the plain connect/timeout error.
                    lastTransient = new SchemaRegistryException(Urls.redact(base) + ": " + rootMessage(e), e);
                    problem = unreachable(rootMessage(e));
                    log.debug("Schema registry at {} unreachable ({}): {}", Urls.redact(base), what, rootMessage(e));
                    continue;
                }
                int status = response.getStatus();
                if (status >= 200 && status < 300) {
                    problem = null;
                    return parse(response.getBody(), what);
                }
                if (status >= 500) {
                    lastTransient = new SchemaRegistryException("HTTP " + status + " from " + Urls.redact(base) + ": "
                            + errorMessage(response.getBody()));
                    problem = unreachable("HTTP " + status);
                    log.debug("Schema registry at {} failed ({}): HTTP {}", Urls.redact(base), what, status);
                    continue;
                }
                SchemaRegistryException error = clientError(what, subject, Urls.redact(base), status,
                        response.getBody());
                if (error instanceof SchemaRegistryRefusedException) {
                    noteRefusal(error, Urls.redact(base));
                } else if (!(error instanceof IncompatibleSchemaException)) {
                    problem = null; // it answered: a 404 or a 422 is about the request, not the registry
                }
                throw error;
            }
        }
        throw new SchemaRegistryUnavailableException("Schema registry " + baseUrls.stream()
                .map(Urls::redact).toList() + " unavailable: cannot " + what + " after "
                + (maxRetries + 1) + " attempts (" + describe(lastTransient) + ")", lastTransient);
    }

    private static SchemaRegistryException clientError(String what, String subject, String base, int status,
            String body) {
        String reason = errorMessage(body);
        return switch (status) {
            // A registry answers 404 with a JSON error_code (40401 subject, 40402 version, 40403 schema); a bare 404
            // means the URL is not a registry API root, which must not pass for "schema not registered".
            case 404 -> hasErrorCode(body)
                    ? new SchemaNotFoundException("Cannot " + what + ": not found (" + reason + ")")
                    : new SchemaRegistryException("Cannot " + what + ": HTTP 404 from " + base + " without a schema"
                            + " registry error body; is the URL the registry's API root (for Apicurio"
                            + " .../apis/ccompat/v7)?");
            case 409 -> new IncompatibleSchemaException(subject, reason);
            case 422 -> new SchemaRegistryException("Cannot " + what + ": invalid schema or level (" + reason + ")");
            case 401, 403 -> new SchemaRegistryRefusedException("Cannot " + what + ": HTTP " + status
                    + ", check the registry credentials (" + reason + ")", status);
            default -> new SchemaRegistryException("Cannot " + what + ": HTTP " + status + " (" + reason + ")");
        };
    }

    private static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "empty response";
        }
        try {
            JsonNode json = JSON.readTree(body);
            if (json.hasNonNull("message")) {
                return json.get("message").asText();
            }
        } catch (Exception ignored) {
            // not JSON: fall through to an excerpt
        }
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    private static JsonNode parse(String body, String what) {
        try {
            return JSON.readTree(body == null ? "{}" : body);
        } catch (Exception e) {
            throw new SchemaRegistryException("Cannot " + what + ": registry answered with invalid JSON", e);
        }
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String enc(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean hasErrorCode(String body) {
        try {
            return body != null && JSON.readTree(body).hasNonNull("error_code");
        } catch (Exception e) {
            return false;
        }
    }

    /** The cause chain below Unirest's wrapper, e.g. {@code ConnectException <- ClosedChannelException}. */
    private static String rootMessage(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnirestException) {
                continue;
            }
            String part = t.getClass().getSimpleName()
                    + (t.getMessage() == null || t.getMessage().isBlank() ? "" : ": " + t.getMessage());
            if (parts.isEmpty() || !parts.get(parts.size() - 1).equals(part)) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? e.toString() : String.join(" <- ", parts);
    }

    private static String describe(Exception e) {
        return e == null ? "no response" : e.getMessage();
    }

    private void sleep(long ms) {
        try {
            sleeper.sleep(Duration.ofMillis(ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("Interrupted while waiting to retry the schema registry", e);
        }
    }

}
