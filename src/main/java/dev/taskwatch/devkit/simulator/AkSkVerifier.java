package dev.taskwatch.devkit.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recomputes an {@code SDK-HMAC-SHA256} signature as the OTC API gateway documents it:
 * <pre>
 * CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n
 *                    hex(sha256(body))
 *   CanonicalURI         path segments percent-encoded (RFC 3986), always ending in '/'
 *   CanonicalQueryString name=value pairs form-decoded, then percent-encoded, sorted by name (then value),
 *                        joined by '&amp;'
 *   CanonicalHeaders     for each signed header: lower-case name ':' trimmed value '\n'
 *   SignedHeaders        lower-case names joined by ';' in sorted order
 * StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
 * Signature        = hex(hmac-sha256(secret key, StringToSign))
 * </pre>
 * The authority is Huawei's SDK signer ({@code com.huaweicloud.sdk.core.auth.AKSKSigner}); taskwatch's
 * {@code AkSkSigner} is proven equal to it, and {@code SimulatorAuthenticationTest} proves this verifier accepts what
 * that signer signs (raw '+' in the query and {@code X-Sdk-Content-Sha256} included).
 */
final class AkSkVerifier {

    private static final String CONTENT_SHA256 = "x-sdk-content-sha256";

    private AkSkVerifier() {}

    /**
     * @param rawPath     the request path as sent (still percent-encoded)
     * @param rawQuery    the query as sent, or null
     * @param headerValue first value of a request header by (any-case) name, null when absent
     */
    static String signature(String method, String rawPath, String rawQuery, List<String> signedHeaders,
            Function<String, String> headerValue, byte[] body, String sdkDate, String secretKey) {
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n');
        canonical.append(canonicalUri(rawPath)).append('\n');
        canonical.append(canonicalQuery(rawQuery)).append('\n');
        for (String header : signedHeaders) {
            String value = headerValue.apply(header);
            canonical.append(header.toLowerCase(Locale.ROOT)).append(':').append(value == null ? "" : value.trim())
                    .append('\n');
        }
        canonical.append('\n');
        canonical.append(String.join(";", signedHeaders)).append('\n');
        // As the SDK signer: a signed X-Sdk-Content-Sha256 (e.g. UNSIGNED-PAYLOAD) replaces the body hash.
        String contentSha256 = signedHeaders.stream().anyMatch(h -> h.equalsIgnoreCase(CONTENT_SHA256))
                ? headerValue.apply(CONTENT_SHA256) : null;
        canonical.append(contentSha256 != null ? contentSha256 : hex(sha256(body)));
        String stringToSign = "SDK-HMAC-SHA256\n" + sdkDate + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return hex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static String canonicalUri(String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (out.length() > 0 || !segment.isEmpty()) {
                out.append('/');
            }
            out.append(encode(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)));
        }
        String uri = out.length() == 0 ? "/" : out.toString();
        if (!uri.startsWith("/")) {
            uri = "/" + uri;
        }
        return uri.endsWith("/") ? uri : uri + "/";
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            pairs.add(Map.entry(encode(name), encode(value)));
        }
        pairs.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        List<String> joined = pairs.stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        return String.join("&", joined);
    }

    /**
     * Query names and values are form-decoded: a '+' the client did not encode is a space, as Huawei's SDK signer
     * (and our {@code AkSkSigner}, proven equal to it) canonicalises it, and as this simulator reads the query itself.
     * (An earlier version kept it as a literal plus, so a request with a raw '+' failed verification.)
     */
    private static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    /** RFC 3986: everything but unreserved characters percent-encoded, upper-case hex. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
