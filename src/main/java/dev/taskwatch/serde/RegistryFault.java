package dev.taskwatch.serde;

import dev.taskwatch.Causes;

/**
 * What a failure that involves the schema registry asks of the code that met it. Decided once, here, for the
 * transitions' stream threads, the poller's sink and notify alike.
 */
public enum RegistryFault {
    /** Unreachable, timing out or answering 5xx: the same call will work once the registry is back; wait and retry. */
    UNAVAILABLE,
    /** 401, 403 or an incompatible schema: retrying cannot help until an operator acts; report it, retry rarely. */
    REFUSED,
    /** Not a registry fault: the record is bad (an unknown schema id, undecodable bytes) or it is a bug. */
    NONE;

    /** The fault anywhere in {@code failure}'s cause chain (Kafka and Streams wrap serializer exceptions). */
    public static RegistryFault of(Throwable failure) {
        if (failure == null) {
            return NONE;
        }
        if (Causes.has(failure, SchemaRegistryUnavailableException.class)) {
            return UNAVAILABLE;
        }
        if (Causes.has(failure, SchemaRegistryRefusedException.class)
                || Causes.has(failure, IncompatibleSchemaException.class)) {
            return REFUSED;
        }
        return NONE;
    }

    /** Whether the failure is the registry's, not the record's. */
    public boolean isRegistrys() {
        return this != NONE;
    }
}
