package dev.taskwatch.serde;

/**
 * The registry answered but refused taskwatch: HTTP 401 (no or wrong credentials) or 403 (the credentials may not do
 * this). Waiting does not cure it, an operator does (rotating the credentials, granting the permission); the message
 * names the status and the registry without credentials.
 */
public class SchemaRegistryRefusedException extends SchemaRegistryException {

    private final int status;

    public SchemaRegistryRefusedException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the registry answered with (401 or 403). */
    public int status() {
        return status;
    }
}
