package dev.taskwatch.taskcenter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.huaweicloud.sdk.core.auth.AKSKSigner;
import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.http.HttpMethod;
import com.huaweicloud.sdk.core.http.HttpRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * Our signer against Huawei's official one (huaweicloud-sdk-core, a test dependency only) for 500 seeded random
 * requests: methods, hosts with and without port, paths with reserved and non-ASCII characters, query parameters
 * with spaces, '+', '&amp;', '=', '*', '~', '%' and empty values, extra headers (including Content-Type and names with
 * '_', which neither signs), X-Sdk-Content-Sha256, bodies, temporary credentials.
 *
 * <p>Inputs stay where both signers agree by design: header values without surrounding whitespace (we trim, the
 * SDK does not), no path ending in a space (java.net.URL in the SDK trims it off) and query keys made of unreserved characters (the SDK signs a key that needs escaping twice, once
 * raw from its URL and once escaped, a quirk the gateway would not accept anyway).
 */
class AkSkSignerSdkEquivalenceTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final String DATE = "20261124T120000Z";
    private static final String PATH_CHARS = "abcXYZ019-_.~ +*!$'(),;=:@%äöü中文";
    private static final String KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-.~";
    private static final String VALUE_CHARS = "abcXYZ0189 +&=*~%/?#:@!$'(),;-_.äß中";
    private static final String HEADER_VALUE_CHARS = "abcXYZ0189 +&=*~%/?#:@!$'(),;-_.\"";
    private static final HttpMethod[] METHODS = HttpMethod.values();

    @Test
    void shouldSignFiveHundredRandomRequestsExactlyLikeTheHuaweiSdk() {
        Random random = new Random(20261124L);
        for (int i = 0; i < 500; i++) {
            Case c = randomCase(random);

            String ours = new AkSkAuthenticator(new Credentials.AkSk("c", c.accessKey, c.secretKey, c.securityToken),
                    java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC))
                    .authenticate(new SignableRequest(c.method.name(), c.uri(), c.headers, c.bodyBytes()))
                    .get("Authorization");

            CapturingSdkSigner sdk = new CapturingSdkSigner();
            String theirs = sdkAuthorization(sdk, c);
            assertThat(new AkSkSigner(c.accessKey, c.secretKey).canonicalRequest(c.signable(), NOW))
                    .as("canonical request of case %d: %s", i, c).isEqualTo(sdk.canonicalRequest);
            assertThat(ours).as("case %d: %s", i, c).isEqualTo(theirs);
        }
    }

    @Test
    void shouldReturnDateAndAuthorizationAndSecurityToken() {
        var auth = new AkSkAuthenticator(new Credentials.AkSk("c", "AKIDEXAMPLE", "secret", "sts-token"),
                java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
        Map<String, String> headers = auth.authenticate(new SignableRequest("GET",
                URI.create("https://dds.eu-de.otc.t-systems.com/v3/p/jobs?id=1"), Map.of(), null));

        assertThat(headers).containsOnlyKeys("X-Security-Token", "X-Sdk-Date", "Authorization");
        assertThat(headers.get("X-Sdk-Date")).isEqualTo(DATE);
        assertThat(headers.get("X-Security-Token")).isEqualTo("sts-token");
        assertThat(headers.get("Authorization")).matches("SDK-HMAC-SHA256 Access=AKIDEXAMPLE, "
                + "SignedHeaders=host;x-sdk-date;x-security-token, Signature=[0-9a-f]{64}");
        assertThat(auth.describe()).isEqualTo("aksk credential 'c' (AK AKID****, temporary)").doesNotContain("secret");
        assertThat(auth.toString()).doesNotContain("secret").doesNotContain("sts-token");
    }

    @Test
    void shouldBuildTheCanonicalRequestOfTheGatewayDocumentation() {
        AkSkSigner signer = new AkSkSigner("AK", "SK");
        SignableRequest request = new SignableRequest("get",
                URI.create("https://dds.eu-de.otc.t-systems.com/v3/p%20x/jobs?start_time=2026-11-24T12%3A00%3A00%2B0000&limit=100&a+b=c*d~"),
                Map.of("Content-Type", "application/json", "X-Project_Id", "ignored", "Accept", " application/json "),
                null);

        assertThat(signer.canonicalRequest(request, NOW)).isEqualTo(String.join("\n",
                "GET",
                "/v3/p%20x/jobs/",
                "a%20b=c%2Ad~&limit=100&start_time=2026-11-24T12%3A00%3A00%2B0000",
                "accept:application/json\nhost:dds.eu-de.otc.t-systems.com\nx-sdk-date:" + DATE + "\n",
                "accept;host;x-sdk-date",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        assertThat(signer.toString()).isEqualTo("AkSkSigner[AK ****]");
    }

    /** Huawei's signer, keeping the canonical request it signed for a readable comparison. */
    private static final class CapturingSdkSigner extends AKSKSigner {
        String canonicalRequest;

        @Override
        protected String buildCanonicalRequest(String... segments) {
            canonicalRequest = super.buildCanonicalRequest(segments);
            return canonicalRequest;
        }
    }

    private static String sdkAuthorization(AKSKSigner signer, Case c) {
        HttpRequest.HttpRequestBuilder builder = HttpRequest.newBuilder()
                .withEndpoint("https://" + c.authority)
                .withPath(c.path)
                .withMethod(c.method)
                .addHeader("X-Sdk-Date", DATE);
        c.headers.forEach(builder::addHeader);
        if (c.securityToken != null) {
            builder.addHeader("X-Security-Token", c.securityToken);
        }
        c.query.forEach((k, v) -> builder.addQueryParam(k, List.of(v)));
        if (c.body != null) {
            builder.withBodyAsString(c.body);
        }
        BasicCredentials credentials = new BasicCredentials().withAk(c.accessKey).withSk(c.secretKey);
        return signer.sign(builder.build(), credentials).get("Authorization");
    }

    private static Case randomCase(Random random) {
        Case c = new Case();
        c.method = METHODS[random.nextInt(METHODS.length)];
        c.authority = random.nextBoolean() ? "dds.eu-de.otc.t-systems.com"
                : "127.0.0.1:" + (1024 + random.nextInt(60000));
        StringBuilder path = new StringBuilder();
        int segments = random.nextInt(5);
        for (int s = 0; s < segments; s++) {
            // java.net.URL, which the SDK builds, trims a trailing space off the whole URL: keep segments free of it.
            String segment = randomString(random, PATH_CHARS, random.nextInt(3) == 0 ? 0 : 1, 12);
            path.append('/').append(segment.endsWith(" ") ? segment.strip() + "x" : segment);
        }
        if (path.length() == 0 || random.nextInt(5) == 0) {
            path.append('/');
        }
        c.path = path.toString();
        int params = random.nextInt(5);
        for (int p = 0; p < params; p++) {
            c.query.put(randomString(random, KEY_CHARS, 1, 10), randomString(random, VALUE_CHARS, 0, 20));
        }
        int headers = random.nextInt(5);
        for (int h = 0; h < headers; h++) {
            String name = switch (random.nextInt(6)) {
                case 0 -> "Content-Type";
                case 1 -> "X-Custom_Header";
                default -> "X-" + randomString(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", 1, 12);
            };
            if (c.headers.keySet().stream().noneMatch(n -> n.equalsIgnoreCase(name))
                    && !name.equalsIgnoreCase("X-Sdk-Date") && !name.equalsIgnoreCase("X-Security-Token")) {
                c.headers.put(name, randomString(random, HEADER_VALUE_CHARS, 1, 30).strip() + "v");
            }
        }
        if (random.nextInt(8) == 0) {
            c.headers.put("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD");
        }
        c.body = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> "";
            default -> "{\"name\": \"" + randomString(random, VALUE_CHARS, 0, 40) + "\"}";
        };
        c.accessKey = randomString(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20, 20);
        c.secretKey = randomString(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/", 40, 40);
        c.securityToken = random.nextInt(4) == 0 ? randomString(random, KEY_CHARS, 30, 60) : null;
        return c;
    }

    private static String randomString(Random random, String alphabet, int min, int max) {
        int length = min + random.nextInt(max - min + 1);
        StringBuilder s = new StringBuilder();
        int[] codePoints = alphabet.codePoints().toArray();
        for (int i = 0; i < length; i++) {
            s.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        }
        return s.toString();
    }

    private static final class Case {
        HttpMethod method;
        String authority;
        String path;
        final Map<String, String> query = new LinkedHashMap<>();
        final Map<String, String> headers = new LinkedHashMap<>();
        String body;
        String accessKey;
        String secretKey;
        String securityToken;

        /** The URI as an HTTP client would send it: path segments and query form-encoded (Unirest's way). */
        URI uri() {
            StringJoiner rawPath = new StringJoiner("/");
            for (String segment : path.split("/", -1)) {
                rawPath.add(AkSkSigner.encode(segment));
            }
            StringJoiner query = new StringJoiner("&");
            this.query.forEach((k, v) -> query.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return URI.create("https://" + authority + rawPath + (this.query.isEmpty() ? "" : "?" + query));
        }

        /** The request as our signer sees it, security token included as the authenticator adds it. */
        SignableRequest signable() {
            Map<String, String> all = new LinkedHashMap<>(headers);
            if (securityToken != null) {
                all.put("X-Security-Token", securityToken);
            }
            return new SignableRequest(method.name(), uri(), all, bodyBytes());
        }

        byte[] bodyBytes() {
            return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return method + " " + uri() + " headers=" + headers + " body=" + body;
        }
    }
}
