package dev.taskwatch.serde;

import java.util.List;

/**
 * Picks the registry client of a serde configuration: the instance passed under
 * {@link AvroSerdeConfig#SCHEMA_REGISTRY_CLIENT} when there is one (an assembly shares one client between all its
 * serdes that way), else a {@link RestSchemaRegistryClient} for {@link AvroSerdeConfig#SCHEMA_REGISTRY_URL}.
 */
public final class SchemaRegistryClients {

    private SchemaRegistryClients() {}

    /** A caching client for {@code config}. */
    public static CachingSchemaRegistryClient create(AvroSerdeConfig config) {
        return CachingSchemaRegistryClient.wrap(uncached(config));
    }

    /** The client of {@code config} without a cache in front (for tools that want to see the registry as it is). */
    public static SchemaRegistryClient uncached(AvroSerdeConfig config) {
        SchemaRegistryClient instance = config.clientInstance();
        if (instance != null) {
            return instance;
        }
        List<String> urls = config.urls();
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(AvroSerdeConfig.SCHEMA_REGISTRY_URL + " is empty (and no "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT + " given)");
        }
        return new RestSchemaRegistryClient(config);
    }
}
