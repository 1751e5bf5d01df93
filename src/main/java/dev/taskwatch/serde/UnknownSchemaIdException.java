package dev.taskwatch.serde;

/** A record on a topic names a schema id the registry does not know. */
public class UnknownSchemaIdException extends SchemaRegistryException {

    private final int schemaId;

    public UnknownSchemaIdException(int schemaId, String topic, Throwable cause) {
        super("Unknown schema id " + schemaId + " in a record from topic '" + topic + "'", cause);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
