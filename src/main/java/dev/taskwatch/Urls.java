package dev.taskwatch;

import java.net.URI;

/** The one rule for printing a URL: its user info ({@code http://user:pass@host}) never reaches a message or log. */
public final class Urls {

    private Urls() {}

    /** {@code url} without user info; a list of URLs separated by commas is redacted item by item. */
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

    private static String redactOne(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getRawUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getRawPath(), null, null)
                    .toString();
        } catch (Exception e) {
            int at = url.lastIndexOf('@');
            int scheme = url.indexOf("://");
            return at > scheme && scheme >= 0 ? url.substring(0, scheme + 3) + "***" + url.substring(at) : url;
        }
    }
}
