package dev.taskwatch.taskcenter.auth;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Huawei Cloud / OTC API-gateway request signing, {@code SDK-HMAC-SHA256} (the algorithm of Huawei's
 * {@code com.huaweicloud.sdk.core.auth.AKSKSigner}, re-implemented so the shipped jar does not carry the SDK and its
 * OkHttp; {@code AkSkSignerSdkEquivalenceTest} proves both sign alike).
 *
 * <pre>
 * CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HexSha256(Body)
 * StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n HexSha256(CanonicalRequest)
 * Signature        = Hex(HmacSha256(SecretKey, StringToSign))
 * Authorization    = SDK-HMAC-SHA256 Access=AK, SignedHeaders=h1;h2, Signature=...
 * </pre>
 * <ul>
 *   <li>CanonicalURI: every path segment percent-encoded, each followed by '/' (so it always ends with '/').</li>
 *   <li>CanonicalQuery: every parameter decoded, then key and value percent-encoded (space %20, '*' %2A, '~' kept),
 *       sorted by key then value, {@code k=v} joined with '&amp;'.</li>
 *   <li>CanonicalHeaders: every header of the request except {@code Content-Type} and names with '_' (as the SDK
 *       does), plus {@code host} and {@code x-sdk-date}; names lower-cased, values trimmed, sorted by name, each
 *       line {@code name:value\n}. SignedHeaders lists those names joined with ';'.</li>
 *   <li>Body hash: the value of an {@code X-Sdk-Content-Sha256} header when present (e.g. UNSIGNED-PAYLOAD), else
 *       the hex SHA-256 of the body (of nothing for no body).</li>
 * </ul>
 * The gateway rejects a {@code X-Sdk-Date} more than 15 minutes off, so the caller passes the current time. The
 * headers the caller sends must be exactly those in the {@link SignableRequest} plus the ones returned here.
 */
public final class AkSkSigner {

    public static final String ALGORITHM = "SDK-HMAC-SHA256";
    public static final String DATE_HEADER = "X-Sdk-Date";
    public static final String CONTENT_SHA256_HEADER = "X-Sdk-Content-Sha256";
    public static final DateTimeFormatter SDK_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final HexFormat HEX = HexFormat.of();

    private final String accessKey;
    private final byte[] secretKey;

    public AkSkSigner(String accessKey, String secretKey) {
        if (accessKey == null || accessKey.isBlank()) {
            throw new IllegalArgumentException("access key is empty");
        }
        if (secretKey == null || secretKey.isEmpty()) {
            throw new IllegalArgumentException("secret key is empty");
        }
        this.accessKey = accessKey;
        this.secretKey = secretKey.getBytes(StandardCharsets.UTF_8);
    }

    /** The headers to add to {@code request}: {@code X-Sdk-Date} and {@code Authorization}. */
    public Map<String, String> sign(SignableRequest request, Instant now) {
        String date = SDK_DATE.format(now);
        Map<String, String> headers = signedHeaders(request, date);
        String signedHeaderNames = String.join(";", headers.keySet());
        String canonicalRequest = canonicalRequest(request, headers, signedHeaderNames);
        String stringToSign = ALGORITHM + "\n" + date + "\n" + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        String signature = hex(hmacSha256(secretKey, stringToSign.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> result = new LinkedHashMap<>();
        result.put(DATE_HEADER, date);
        result.put("Authorization", ALGORITHM + " Access=" + accessKey + ", SignedHeaders=" + signedHeaderNames
                + ", Signature=" + signature);
        return result;
    }

    /** The canonical request that {@link #sign} signs at {@code now}; for tests and troubleshooting. */
    String canonicalRequest(SignableRequest request, Instant now) {
        Map<String, String> headers = signedHeaders(request, SDK_DATE.format(now));
        return canonicalRequest(request, headers, String.join(";", headers.keySet()));
    }

    private static String canonicalRequest(SignableRequest request, Map<String, String> headers,
            String signedHeaderNames) {
        StringBuilder canonicalHeaders = new StringBuilder();
        headers.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
        return String.join("\n",
                request.method().toUpperCase(Locale.ROOT),
                canonicalUri(request.uri()),
                canonicalQuery(request.uri().getRawQuery()),
                canonicalHeaders.toString(),
                signedHeaderNames,
                payloadHash(request));
    }

    /** Lower-cased name to trimmed value, sorted by name, of every header that is signed. */
    private static Map<String, String> signedHeaders(SignableRequest request, String date) {
        Map<String, String> headers = new TreeMap<>();
        if (request.headers() != null) {
            request.headers().forEach((name, value) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("content-type") && !lower.contains("_")) {
                    headers.put(lower, value == null ? "" : value.trim());
                }
            });
        }
        headers.putIfAbsent("host", host(request.uri()));
        headers.put("x-sdk-date", date);
        return headers;
    }

    /** Host and explicit port as the Host header carries them; never user info. */
    static String host(URI uri) {
        String authority = Objects.requireNonNull(uri.getRawAuthority(), () -> "URI has no host: " + uri);
        int at = authority.lastIndexOf('@');
        return at >= 0 ? authority.substring(at + 1) : authority;
    }

    static String canonicalUri(URI uri) {
        String rawPath = uri.getRawPath();
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            return "/";
        }
        StringBuilder canonical = new StringBuilder();
        for (String segment : rawPath.split("/")) {
            canonical.append(encode(decode(segment, false))).append('/');
        }
        return canonical.toString();
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> parameters = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            parameters.add(new String[] {encode(decode(key, true)), encode(decode(value, true))});
        }
        parameters.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder canonical = new StringBuilder();
        for (String[] p : parameters) {
            if (canonical.length() > 0) {
                canonical.append('&');
            }
            canonical.append(p[0]).append('=').append(p[1]);
        }
        return canonical.toString();
    }

    private static String payloadHash(SignableRequest request) {
        if (request.headers() != null) {
            for (Map.Entry<String, String> header : request.headers().entrySet()) {
                if (header.getKey().equalsIgnoreCase(CONTENT_SHA256_HEADER) && header.getValue() != null) {
                    return header.getValue();
                }
            }
        }
        byte[] body = request.body() == null ? new byte[0] : request.body();
        return hex(sha256(body));
    }

    /** Percent-encoding of the signer: RFC 3986 unreserved characters kept, everything else %XX (space %20). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    /** Query parts are form-decoded ('+' is a space, as Unirest encodes spaces); path segments keep '+'. */
    private static String decode(String value, boolean query) {
        String s = query ? value : value.replace("+", "%2B");
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    @Override
    public String toString() {
        return "AkSkSigner[AK " + Masking.mask(accessKey) + "]";
    }
}
