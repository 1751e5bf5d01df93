package dev.taskwatch.serde;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Remembers what never changes in a registry (an id's schema, a schema's id under a subject) so that steady-state
 * serialization and deserialization make no remote call. Latest versions, compatibility tests and levels do change,
 * so they always go through.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    /** {@code client} itself if it already caches, else a cache in front of it. */
    public static CachingSchemaRegistryClient wrap(SchemaRegistryClient client) {
        return client instanceof CachingSchemaRegistryClient caching ? caching : new CachingSchemaRegistryClient(client);
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), k -> {
            int id = delegate.register(subject, schema);
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public Schema getById(int id) {
        return schemasById.computeIfAbsent(id, delegate::getById);
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        Optional<RegisteredSchema> found = delegate.lookup(subject, schema);
        found.ifPresent(r -> {
            idsBySubjectSchema.putIfAbsent(new SubjectSchema(subject, schema), r.id());
            schemasById.putIfAbsent(r.id(), schema);
        });
        return found;
    }

    /** The id of {@code schema} under {@code subject} without registering it, cached once found. */
    public Optional<Integer> idOf(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        return lookup(subject, schema).map(RegisteredSchema::id);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        RegisteredSchema latest = delegate.latest(subject);
        schemasById.putIfAbsent(latest.id(), latest.schema());
        return latest;
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema) {
        return delegate.testCompatibility(subject, schema);
    }

    @Override
    public String getCompatibility(String subject) {
        return delegate.getCompatibility(subject);
    }

    @Override
    public void setCompatibility(String subject, String level) {
        delegate.setCompatibility(subject, level);
    }

    @Override
    public Optional<String> problem() {
        return delegate.problem();
    }

    @Override
    public void ping() {
        delegate.ping();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
