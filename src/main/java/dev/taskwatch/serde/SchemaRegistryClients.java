package dev.taskwatch.serde;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the registry implementation from the configured URL: {@code mock://<scope>} selects the {@link
 * InProcessSchemaRegistry} of that scope, anything else the {@link RestSchemaRegistryClient}. Clients are shared per
 * configuration, so the serdes of one application reuse one cache and one HTTP client.
 */
public final class SchemaRegistryClients {

    public static final String MOCK_SCHEME = "mock://";

    private static final Map<AvroSerdeConfigKey, CachingSchemaRegistryClient> SHARED = new ConcurrentHashMap<>();

    private record AvroSerdeConfigKey(List<String> urls, String basicAuth, String bearer, int timeoutMs, int retries) {
        @Override
        public String toString() { // the record's default would print the credentials
            return "AvroSerdeConfigKey[urls=" + urls.stream().map(RestSchemaRegistryClient::redact).toList() + "]";
        }
    }

    private SchemaRegistryClients() {}

    /** A caching client for {@code config}, shared with every other caller passing an equal configuration. */
    public static CachingSchemaRegistryClient create(AvroSerdeConfig config) {
        if (!config.urls().isEmpty() && isMock(config.urls().get(0))) {
            // Not shared: the scope itself is the shared state, and InProcessSchemaRegistry.dropScope must give later
            // clients a clean registry rather than a cache of the dropped one.
            return new CachingSchemaRegistryClient(uncached(config));
        }
        AvroSerdeConfigKey key = new AvroSerdeConfigKey(config.urls(), config.basicAuthUserInfo(),
                config.bearerToken(), config.requestTimeoutMs(), config.maxRetries());
        return SHARED.computeIfAbsent(key, k -> new CachingSchemaRegistryClient(uncached(config)));
    }

    /** A new client for {@code config} without caching (for tools that want to see the registry as it is). */
    public static SchemaRegistryClient uncached(AvroSerdeConfig config) {
        List<String> urls = config.urls();
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(AvroSerdeConfig.SCHEMA_REGISTRY_URL + " is empty");
        }
        String first = urls.get(0);
        if (first.startsWith(MOCK_SCHEME)) {
            if (urls.size() > 1) {
                throw new IllegalArgumentException(AvroSerdeConfig.SCHEMA_REGISTRY_URL
                        + " mixes a mock:// URL with others: " + urls);
            }
            return InProcessSchemaRegistry.forScope(first.substring(MOCK_SCHEME.length()));
        }
        return new RestSchemaRegistryClient(config);
    }

    public static boolean isMock(String url) {
        return url != null && url.startsWith(MOCK_SCHEME);
    }
}
