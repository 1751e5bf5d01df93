package dev.taskwatch.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook body: header {@code X-Taskwatch-Signature: sha256=<hex>} where hex is the lower-case
 * HMAC-SHA256 of the exact body bytes under the rule's secret (UTF-8). A receiver recomputes it over the raw body it
 * received and compares in constant time.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Taskwatch-Signature";
    public static final String PREFIX = "sha256=";

    private WebhookSignature() {}

    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e); // every JDK has it
        }
    }
}
