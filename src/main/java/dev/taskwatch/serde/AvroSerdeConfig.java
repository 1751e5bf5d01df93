package dev.taskwatch.serde;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the Avro serde, with Confluent's key names so existing client configs carry over. TLS to the registry
 * uses the JDK's standard trust store settings ({@code javax.net.ssl.trustStore} and friends).
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /**
     * A {@link SchemaRegistryClient} instance (not a string) that the serdes use instead of a client for
     * {@link #SCHEMA_REGISTRY_URL}: how an assembly shares one client between all its serdes, and how the in-process
     * registry of the embedded environment is handed in (it has no URL).
     */
    public static final String SCHEMA_REGISTRY_CLIENT = "schema.registry.client.instance";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String REMOVE_JAVA_PROPERTIES = "avro.remove.java.properties";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String MAX_RETRIES = "schema.registry.max.retries";
    /** Confluent's client names for the registry's own TLS stores (not the JVM-wide javax.net.ssl ones). */
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, Type.LIST, List.of(), Importance.HIGH,
                    "Comma-separated registry URLs, tried in order (http(s)://host:port[/path]); required unless "
                            + SCHEMA_REGISTRY_CLIENT + " passes a client instance.")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Register the record's schema under the subject on first use; when false it must already be"
                            + " registered.")
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Use the id of the subject's latest version instead of registering or looking up the record's"
                            + " schema; the record's schema must equal that latest version.")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                    "user:password for HTTP basic authentication to the registry.")
            .define(BEARER_AUTH_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                    "Bearer token for the registry (sent as Authorization: Bearer ...).")
            .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.LOW,
                    "For a deserializer created without a target class (e.g. by Kafka from a class name): read into"
                            + " the generated class named like the writer schema (true) or a GenericRecord (false)."
                            + " A deserializer given a target class always reads into that class.")
            .define(REMOVE_JAVA_PROPERTIES, Type.BOOLEAN, true, Importance.LOW,
                    "Register (and look up) schemas without the avro.java.string properties of generated classes, so"
                            + " the registry holds the schemas exactly as in schemas/*.avsc. Confluent's default is"
                            + " false; taskwatch's is true.")
            .define(REQUEST_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Connect and socket timeout of one registry request, in milliseconds.")
            .define(MAX_RETRIES, Type.INT, 3, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Retries of a registry request after a connection error or 5xx, with exponential backoff.")
            .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                    "Trust store for the registry's HTTPS certificate, for this client only; unset: the JVM's.")
            .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Password of the trust store.")
            .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW, "Type of the trust store.")
            .define(SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                    "Key store with the client certificate for registries requiring mutual TLS.")
            .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of the key store and its key.")
            .define(SSL_KEYSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW, "Type of the key store.");

    public AvroSerdeConfig(Map<String, ?> originals) {
        super(DEFINITION, originals, false);
    }

    public static ConfigDef definition() {
        return DEFINITION;
    }

    /** The client instance passed under {@link #SCHEMA_REGISTRY_CLIENT}, or null. */
    public SchemaRegistryClient clientInstance() {
        Object instance = originals().get(SCHEMA_REGISTRY_CLIENT);
        if (instance == null || instance instanceof SchemaRegistryClient) {
            return (SchemaRegistryClient) instance;
        }
        throw new IllegalArgumentException(SCHEMA_REGISTRY_CLIENT + " must be a SchemaRegistryClient instance, not "
                + instance.getClass().getName());
    }

    public List<String> urls() {
        return getList(SCHEMA_REGISTRY_URL);
    }

    public boolean autoRegister() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    public boolean specificReader() {
        return getBoolean(SPECIFIC_AVRO_READER);
    }

    /** {@code user:password}, or null. */
    public String basicAuthUserInfo() {
        Password p = getPassword(BASIC_AUTH_USER_INFO);
        return p == null ? null : p.value();
    }

    /** The bearer token, or null. */
    public String bearerToken() {
        Password p = getPassword(BEARER_AUTH_TOKEN);
        return p == null ? null : p.value();
    }

    public boolean removeJavaProperties() {
        return getBoolean(REMOVE_JAVA_PROPERTIES);
    }

    public int requestTimeoutMs() {
        return getInt(REQUEST_TIMEOUT_MS);
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    /** A TLS context from the registry's own stores, or null when none is configured (the JVM default applies). */
    public javax.net.ssl.SSLContext sslContext() {
        String trust = getString(SSL_TRUSTSTORE_LOCATION);
        String key = getString(SSL_KEYSTORE_LOCATION);
        if ((trust == null || trust.isBlank()) && (key == null || key.isBlank())) {
            return null;
        }
        return dev.taskwatch.http.TrustStores.context(SSL_TRUSTSTORE_LOCATION,
                trust == null || trust.isBlank() ? null : java.nio.file.Path.of(trust),
                password(SSL_TRUSTSTORE_PASSWORD), getString(SSL_TRUSTSTORE_TYPE), SSL_KEYSTORE_LOCATION,
                key == null || key.isBlank() ? null : java.nio.file.Path.of(key), password(SSL_KEYSTORE_PASSWORD),
                getString(SSL_KEYSTORE_TYPE));
    }

    private String password(String name) {
        Password p = getPassword(name);
        return p == null ? null : p.value();
    }
}
