package dev.taskwatch.devkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.taskcenter.auth.AkSkSigner;
import dev.taskwatch.taskcenter.auth.SignableRequest;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The simulator's {@link AkSkVerifier} recomputes exactly the signature of taskwatch's {@link AkSkSigner} (which is
 * proven equal to Huawei's SDK signer) for many random requests: paths and queries with raw and percent-encoded
 * reserved characters, '+', '*', '~', non-ASCII, repeated and valueless parameters, extra headers.
 */
class AkSkVerifierSignerEquivalenceTest {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)");
    /** Characters a raw URI may carry in a path segment or a query value, and escapes of others. */
    private static final List<String> PIECES = List.of("a", "Z", "0", "9", "-", "_", ".", "~", "*", "+", "!", "'",
            "(", ")", ",", ";", ":", "@", "$", "%20", "%2B", "%2F", "%25", "%C3%A9", "%E4%BB%BB", "%7E", "%2A", "%3D",
            "%26");

    @Test
    void shouldComputeTheSignersSignatureForManyRandomRequests() {
        Random random = new Random(20261124);
        Instant now = Instant.parse("2026-11-24T18:00:00Z");
        for (int i = 0; i < 2_000; i++) {
            String path = "/" + word(random) + "/v3/" + word(random) + "/jobs" + (random.nextBoolean() ? "/" : "");
            StringBuilder query = new StringBuilder();
            int parameters = random.nextInt(5);
            for (int p = 0; p < parameters; p++) {
                if (p > 0) {
                    query.append('&');
                }
                String name = random.nextInt(4) == 0 ? "id" : word(random);
                query.append(name);
                if (random.nextInt(6) != 0) {
                    query.append('=').append(random.nextInt(5) == 0 ? "" : word(random));
                }
            }
            URI uri = URI.create("http://127.0.0.1:" + (1024 + random.nextInt(60000)) + path
                    + (query.length() == 0 ? "" : "?" + query));
            Map<String, String> headers = new LinkedHashMap<>();
            if (random.nextBoolean()) {
                headers.put("Accept", "application/json");
            }
            if (random.nextBoolean()) {
                headers.put("X-Security-Token", "  token " + random.nextInt() + " ");
            }
            if (random.nextInt(4) == 0) {
                headers.put("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD");
            }
            String secret = "sk-" + Long.toHexString(random.nextLong());
            Map<String, String> signed = new AkSkSigner("AK" + i, secret)
                    .sign(new SignableRequest("GET", uri, headers, new byte[0]), now);

            Matcher authorization = AUTHORIZATION.matcher(signed.get("Authorization"));
            assertThat(authorization.matches()).isTrue();
            Map<String, String> sent = new LinkedHashMap<>();
            headers.forEach((k, v) -> sent.put(k.toLowerCase(Locale.ROOT), v));
            sent.put("host", uri.getRawAuthority());
            sent.put("x-sdk-date", signed.get("X-Sdk-Date"));
            String recomputed = AkSkVerifier.signature("GET", uri.getRawPath(), uri.getRawQuery(),
                    List.of(authorization.group(2).split(";")), h -> sent.get(h.toLowerCase(Locale.ROOT)),
                    new byte[0], signed.get("X-Sdk-Date"), secret);
            assertThat(recomputed).as("request %d: %s with headers %s", i, uri, headers)
                    .isEqualTo(authorization.group(3));
        }
    }

    private static String word(Random random) {
        StringBuilder word = new StringBuilder();
        int length = 1 + random.nextInt(6);
        for (int i = 0; i < length; i++) {
            word.append(PIECES.get(random.nextInt(PIECES.size())));
        }
        return word.toString();
    }
}
