package dev.taskwatch.devkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IAM password login, {@code POST /v3/auth/tokens}: the token in {@code X-Subject-Token}, valid
 * {@link #TOKEN_VALIDITY}, for the users of {@link SimulatorSettings#users()} (any non-empty name and password when
 * none are set). Errors in IAM's Keystone shape, not the OTC service shape.
 */
final class IamTokenApi implements SimulatedEndpoint {

    static final String PATH = "/v3/auth/tokens";
    static final Duration TOKEN_VALIDITY = Duration.ofHours(24);

    private static final DateTimeFormatter IAM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final SimulatorSettings settings;
    private final Clock clock;
    private final RequestAuthentication authentication;
    private final ObjectMapper json = new ObjectMapper();

    IamTokenApi(SimulatorSettings settings, Clock clock, RequestAuthentication authentication) {
        this.settings = settings;
        this.clock = clock;
        this.authentication = authentication;
    }

    @Override
    public SimulatedAnswer answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!"POST".equals(method)) {
            return SimulatedAnswer.error(SimulatedApiError.methodNotAllowed(method));
        }
        JsonNode request;
        try (InputStream in = exchange.getRequestBody()) {
            request = json.readTree(in);
        } catch (IOException e) {
            return error(400, "The request body is not valid JSON");
        }
        JsonNode user = request == null ? null : request.at("/auth/identity/password/user");
        if (user == null || user.isMissingNode()) {
            return error(400, "Expected auth.identity.password.user");
        }
        String name = user.path("name").asText("");
        String password = user.path("password").asText("");
        String domain = user.at("/domain/name").asText("");
        boolean known = settings.users().isEmpty()
                ? !name.isEmpty() && !password.isEmpty()
                : password.equals(settings.users().get(name));
        if (!known) {
            return error(401, "The username or password is wrong.");
        }
        Instant now = clock.instant();
        Instant expires = now.plus(TOKEN_VALIDITY);
        String token = authentication.issueToken(expires);
        Map<String, Object> tokenBody = new LinkedHashMap<>();
        tokenBody.put("expires_at", IAM_TIME.format(expires));
        tokenBody.put("issued_at", IAM_TIME.format(now));
        tokenBody.put("methods", List.of("password"));
        tokenBody.put("user", Map.of("name", name, "id", "u" + Integer.toHexString(name.hashCode()),
                "domain", Map.of("name", domain, "id", "d" + Integer.toHexString(domain.hashCode()))));
        JsonNode project = request.at("/auth/scope/project");
        if (!project.isMissingNode()) {
            Map<String, Object> projectBody = new LinkedHashMap<>();
            projectBody.put("id", project.path("id").asText(SimulatorSettings.DEFAULT_PROJECT));
            projectBody.put("name", project.path("name").asText("eu-de"));
            tokenBody.put("project", projectBody);
        }
        return SimulatedAnswer.json(201, Map.of("token", tokenBody), Map.of("X-Subject-Token", token));
    }

    private static SimulatedAnswer error(int status, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", status);
        error.put("message", message);
        error.put("title", status == 401 ? "Unauthorized" : "Bad Request");
        return SimulatedAnswer.json(status, Map.of("error", error), Map.of());
    }
}
