package dev.taskwatch.serde;

/** The registry could not be reached or kept failing (connection errors, timeouts, 5xx) after the retries. */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
