package dev.taskwatch.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One HTTP proxy for every host except those matching a glob of {@code poller.non-proxy-hosts} ({@code *} matches
 * any run of characters, case-insensitive), the same rule as the JVM's {@code http.nonProxyHosts} but scoped to this
 * client instead of the whole JVM.
 */
final class HostGlobProxySelector extends ProxySelector {

    private final List<Proxy> proxy;
    private final List<Pattern> direct;

    HostGlobProxySelector(InetSocketAddress proxyAddress, List<String> nonProxyHosts) {
        this.proxy = List.of(new Proxy(Proxy.Type.HTTP, proxyAddress));
        this.direct = nonProxyHosts.stream().map(HostGlobProxySelector::glob).toList();
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        for (Pattern p : direct) {
            if (p.matcher(host).matches()) {
                return List.of(Proxy.NO_PROXY);
            }
        }
        return proxy;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // one proxy, nothing to fall back to: the request fails and the poller reports it
    }

    static Pattern glob(String glob) {
        String[] parts = glob.strip().toLowerCase(Locale.ROOT).split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }
}
