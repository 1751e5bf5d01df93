package dev.taskwatch.serde;

import java.util.Map;

/**
 * The registry client of one Avro serializer or deserializer: the client handed to its constructor, else the one its
 * configuration selects, made on {@code configure}. The client is shared by every serde with the same configuration,
 * so a serde never closes it.
 */
final class SerdeRegistry {

    private final String serde;
    private CachingSchemaRegistryClient client;

    /** @param serde the serde's class name, for the message of a use before {@code configure} */
    SerdeRegistry(String serde) {
        this.serde = serde;
    }

    /**
     * Uses {@code given} (wrapped in a cache unless it is one) instead of the one {@code schema.registry.url} selects;
     * the URL is still required by the config but not used.
     */
    SerdeRegistry(String serde, SchemaRegistryClient given) {
        this(serde);
        this.client = CachingSchemaRegistryClient.wrap(given);
    }

    /** Reads the serde's configuration and, unless a client was handed in, makes the one it selects. */
    AvroSerdeConfig configure(Map<String, ?> configs) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (client == null) {
            client = SchemaRegistryClients.create(config);
        }
        return config;
    }

    /** @throws IllegalStateException before {@link #configure} */
    CachingSchemaRegistryClient client() {
        if (client == null) {
            throw new IllegalStateException(serde + " used before configure()");
        }
        return client;
    }
}
