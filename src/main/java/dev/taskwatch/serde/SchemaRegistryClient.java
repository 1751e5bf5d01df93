package dev.taskwatch.serde;

import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that taskwatch uses. Two implementations: {@link
 * RestSchemaRegistryClient} speaks HTTP to Confluent Schema Registry or any compatible registry (Apicurio's {@code
 * /apis/ccompat/v7}); {@link InProcessSchemaRegistry} keeps everything in memory, selected by a {@code mock://<scope>}
 * URL as in the Confluent ecosystem. {@link SchemaRegistryClients#create} picks one from the URL.
 *
 * <p>Errors are typed: {@link IncompatibleSchemaException} (HTTP 409 that is not a concurrent registration of the
 * same schema), {@link SchemaNotFoundException} (404), {@link SchemaRegistryRefusedException} (401, 403), {@link
 * SchemaRegistryUnavailableException} (connection failures and 5xx after retries), and {@link SchemaRegistryException}
 * for the rest. Messages name the subject or id and never carry credentials. {@link RegistryFault#of} sorts them into
 * "wait for the registry", "an operator must act" and "this record is bad".
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} (idempotent: an equal schema returns its existing id). */
    int register(String subject, Schema schema);

    /** The schema with this global id. @throws SchemaNotFoundException if the registry does not know the id */
    Schema getById(int id);

    /** The registration of {@code schema} under {@code subject}, if it is registered there. */
    Optional<RegisteredSchema> lookup(String subject, Schema schema);

    /** The latest version registered under {@code subject}. @throws SchemaNotFoundException if the subject has none */
    RegisteredSchema latest(String subject);

    /** Whether {@code schema} could be registered under {@code subject} given the subject's compatibility level. */
    CompatibilityResult testCompatibility(String subject, Schema schema);

    /** The compatibility level that applies to {@code subject} (its own, else the registry's global one). */
    String getCompatibility(String subject);

    /** Sets the compatibility level of {@code subject}, e.g. {@code BACKWARD}. */
    void setCompatibility(String subject, String level);

    /**
     * What is wrong with the registry now, as the last call to it found it: unreachable, or refusing taskwatch (401,
     * 403, an incompatible schema); empty when the last call was answered normally, and for registries that cannot
     * fail (the in-process one). One line without credentials, for {@code /health/ready}.
     */
    default java.util.Optional<String> problem() {
        return java.util.Optional.empty();
    }

    /**
     * One cheap request without retries, to learn whether the registry answers again; updates {@link #problem()}.
     *
     * @throws SchemaRegistryException when it does not answer normally
     */
    default void ping() {}

    @Override
    default void close() {}
}
