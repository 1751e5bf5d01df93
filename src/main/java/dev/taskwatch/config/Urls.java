package dev.taskwatch.config;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/** URLs as configuration output shows them: user-info (often {@code user:password}) masked. */
final class Urls {

    private Urls() {}

    /** Whether {@code url} is absolute http(s) with a host. */
    static boolean httpOrHttps(URI url) {
        return url.getScheme() != null && Set.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT))
                && url.getHost() != null;
    }

    /** {@code https://****@host/...} for a URL with user-info; the text unchanged otherwise; null for null. */
    static String masked(String url) {
        return url == null ? null : url.replaceAll("//[^/@]*@", "//****@");
    }
}
