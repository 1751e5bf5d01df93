package dev.taskwatch;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * The one rule for showing a URL in a message, a log line, a banner or a {@code toString}: its user info ({@code
 * http://user:password@host}) is replaced by {@code ****}, everything else is shown as written.
 */
public final class Urls {

    private static final String MASK = "****";

    private Urls() {}

    /**
     * {@code url} with its user info masked ({@code https://****@host:8081/path}); text without user info unchanged; a
     * list of URLs separated by commas masked item by item; null for null. Text that is not a valid URI is masked too:
     * a password written with an unencoded {@code /} or {@code @} is hidden up to the last {@code @}.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        if (url.indexOf(',') >= 0) {
            StringBuilder out = new StringBuilder();
            for (String part : url.split(",", -1)) {
                out.append(out.isEmpty() ? "" : ",").append(redactOne(part));
            }
            return out.toString();
        }
        return redactOne(url);
    }

    /** {@link #redact(String)} of the URI's text; {@code "null"} for null. */
    public static String redact(URI uri) {
        return uri == null ? "null" : redact(uri.toString());
    }

    /** Whether {@code url} is absolute http(s) with a host. */
    public static boolean isHttpOrHttps(URI url) {
        return url.getScheme() != null && Set.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT))
                && url.getHost() != null;
    }

    private static String redactOne(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme + 3) {
            return url;
        }
        int userInfoEnd = at;
        try {
            URI uri = new URI(url.strip());
            if (uri.getHost() != null) {
                if (uri.getRawUserInfo() == null) {
                    return url; // an '@' in the path or query, not in the authority
                }
                userInfoEnd = url.indexOf(uri.getRawUserInfo(), scheme + 3) + uri.getRawUserInfo().length();
            }
        } catch (Exception e) {
            // not a valid URI (often a password with an unencoded character): mask up to the last '@'
        }
        return url.substring(0, scheme + 3) + MASK + url.substring(userInfoEnd);
    }
}
