package dev.taskwatch.http;

import dev.taskwatch.Urls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the task-center and IAM client connects.
 *
 * @param connectTimeout     TCP (and proxy) connect timeout
 * @param proxy              {@code poller.proxy}: {@code http://[user:pass@]host:port}, or null for direct connections
 * @param nonProxyHosts      {@code poller.non-proxy-hosts}: host globs ({@code *.internal}, {@code 10.*},
 *                           {@code localhost}) reached directly
 * @param trustStore         {@code poller.trust-store}: file of trusted certificates replacing the JVM's default, or
 *                           null for the JVM default
 * @param trustStorePassword {@code poller.trust-store-password}, may be null
 * @param trustStoreType     {@code poller.trust-store-type}, {@code PKCS12} by default
 */
public record HttpClientSettings(Duration connectTimeout, URI proxy, List<String> nonProxyHosts, Path trustStore,
        String trustStorePassword, String trustStoreType) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final String DEFAULT_TRUST_STORE_TYPE = "PKCS12";

    public HttpClientSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        nonProxyHosts = nonProxyHosts == null ? List.of() : List.copyOf(nonProxyHosts);
        trustStoreType = trustStoreType == null || trustStoreType.isBlank() ? DEFAULT_TRUST_STORE_TYPE
                : trustStoreType;
    }

    /** Direct connections, the JVM's trust store, a 5 s connect timeout. */
    public static HttpClientSettings defaults() {
        return new HttpClientSettings(DEFAULT_CONNECT_TIMEOUT, null, List.of(), null, null, null);
    }

    public HttpClientSettings withProxy(URI proxy, List<String> nonProxyHosts) {
        return new HttpClientSettings(connectTimeout, proxy, nonProxyHosts, trustStore, trustStorePassword,
                trustStoreType);
    }

    public HttpClientSettings withTrustStore(Path trustStore, String password, String type) {
        return new HttpClientSettings(connectTimeout, proxy, nonProxyHosts, trustStore, password, type);
    }

    @Override
    public String toString() {
        // never the proxy's user-info nor the store password
        return "HttpClientSettings[connectTimeout=" + connectTimeout + ", proxy="
                + (proxy == null ? "none" : Urls.redact(proxy)) + ", nonProxyHosts=" + nonProxyHosts + ", trustStore="
                + trustStore + ", trustStoreType=" + trustStoreType + "]";
    }
}
