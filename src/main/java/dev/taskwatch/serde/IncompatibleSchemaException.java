package dev.taskwatch.serde;

/** The registry refused a schema as incompatible with the subject's earlier versions (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {

    private final String subject;

    public IncompatibleSchemaException(String subject, String reason) {
        super("Schema is incompatible with subject '" + subject + "': " + reason);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
