package dev.taskwatch.http;

import dev.taskwatch.Urls;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestInstance;
import kong.unirest.core.java.JavaClient;

/**
 * The Unirest instance for task-center and IAM calls. It never follows redirects: a task center or IAM endpoint
 * answering 3xx would otherwise receive the request again at the new location with its {@code X-Auth-Token}, AK/SK
 * {@code Authorization} and {@code X-Security-Token} headers, or the password-login body, i.e. hand the credential
 * to whichever host the answer names. A redirect comes back as a response and the caller reports it.
 *
 * <p>The JDK client underneath is built here rather than by Unirest's configuration so that the proxy can honour
 * {@code poller.non-proxy-hosts} and the trust store stays scoped to this client.
 */
public final class OutboundHttp {

    private OutboundHttp() {}

    /**
     * @throws IllegalArgumentException one line naming the key ({@code poller.proxy}, {@code poller.trust-store})
     *                                  when the setting is unusable; never a password
     */
    public static UnirestInstance create(HttpClientSettings settings) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout());
        if (settings.proxy() != null) {
            URI proxy = settings.proxy();
            if (!"http".equalsIgnoreCase(proxy.getScheme()) || proxy.getHost() == null || proxy.getPort() < 1) {
                throw new IllegalArgumentException("poller.proxy must look like http://[user:pass@]host:port, not "
                        + Urls.redact(proxy));
            }
            builder.proxy(new HostGlobProxySelector(InetSocketAddress.createUnresolved(proxy.getHost(),
                    proxy.getPort()), settings.nonProxyHosts()));
            if (proxy.getRawUserInfo() != null) {
                builder.authenticator(proxyLogin(proxy.getRawUserInfo()));
            }
        }
        if (settings.trustStore() != null) {
            builder.sslContext(TrustStores.trusting("poller.trust-store", settings.trustStore(),
                    settings.trustStorePassword(), settings.trustStoreType()));
        }
        HttpClient client = builder.build();
        UnirestInstance unirest = Unirest.spawnInstance();
        unirest.config()
                .followRedirects(false)
                .connectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .httpClient(config -> new JavaClient(config, client));
        return unirest;
    }

    /** Answers the proxy's 407 only: a server asking for credentials gets none. */
    private static Authenticator proxyLogin(String rawUserInfo) {
        int colon = rawUserInfo.indexOf(':');
        String user = URLDecoder.decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon),
                StandardCharsets.UTF_8);
        char[] password = (colon < 0 ? "" : URLDecoder.decode(rawUserInfo.substring(colon + 1),
                StandardCharsets.UTF_8)).toCharArray();
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return getRequestorType() == RequestorType.PROXY ? new PasswordAuthentication(user, password) : null;
            }
        };
    }
}
