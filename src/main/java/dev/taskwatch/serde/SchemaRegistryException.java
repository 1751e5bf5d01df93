package dev.taskwatch.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A failure talking to the schema registry. Extends Kafka's {@link SerializationException} so that it surfaces from
 * serializers the way Kafka clients and Kafka Streams expect.
 */
public class SchemaRegistryException extends SerializationException {

    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
