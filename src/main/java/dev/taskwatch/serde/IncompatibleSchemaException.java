package dev.taskwatch.serde;

/** The registry refused a schema as incompatible with the subject's earlier versions (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {

    private final String subject;
    private final String reason;

    public IncompatibleSchemaException(String subject, String reason) {
        super("Schema is incompatible with subject '" + subject + "': " + reason);
        this.subject = subject;
        this.reason = reason;
    }

    /** The registry's own words. */
    public String reason() {
        return reason;
    }

    public String subject() {
        return subject;
    }
}
