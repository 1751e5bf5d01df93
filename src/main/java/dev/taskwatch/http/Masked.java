package dev.taskwatch.http;

import java.net.URI;

/** URIs as they may appear in messages: user-info replaced by {@code ****}. */
public final class Masked {

    private Masked() {}

    public static String uri(URI uri) {
        if (uri == null) {
            return "null";
        }
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        return uri.getScheme() + "://****@" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
