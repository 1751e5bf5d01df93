package dev.taskwatch.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * An in-memory schema registry with Confluent's semantics: global ids, per-subject versions, per-subject compatibility
 * (default {@code BACKWARD}, checked against the latest version like Confluent's default). Selected by a {@code
 * mock://<scope>} URL: every client of the same scope in this JVM shares one registry, so a producer and a consumer
 * created separately agree on ids, while tests using different scopes stay apart.
 */
public final class InProcessSchemaRegistry implements SchemaRegistryClient {

    private static final Map<String, InProcessSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonicalForm = new HashMap<>();
    private final Map<String, List<RegisteredSchema>> versionsBySubject = new HashMap<>();
    private final Map<String, String> compatibilityBySubject = new HashMap<>();
    private String globalCompatibility = "BACKWARD";
    private int nextId = 1;

    private InProcessSchemaRegistry(String scope) {
        this.scope = scope;
    }

    /** The shared registry of {@code scope}, created on first use. */
    public static InProcessSchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, InProcessSchemaRegistry::new);
    }

    /** Forgets a scope (tests that want a clean registry under a reused name). */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    public String scope() {
        return scope;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Optional<RegisteredSchema> existing = lookup(subject, schema);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        CompatibilityResult compatibility = testCompatibility(subject, schema);
        if (!compatibility.compatible()) {
            throw new IncompatibleSchemaException(subject, String.join("; ", compatibility.messages()));
        }
        String canonical = SchemaNormalization.toParsingForm(schema);
        int id = idsByCanonicalForm.computeIfAbsent(canonical, c -> {
            int newId = nextId++;
            schemasById.put(newId, schema);
            return newId;
        });
        List<RegisteredSchema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        versions.add(new RegisteredSchema(subject, id, versions.size() + 1, schema));
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("Schema id " + id + " not found in in-process registry '" + scope + "'");
        }
        return schema;
    }

    @Override
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        String canonical = SchemaNormalization.toParsingForm(schema);
        return versionsBySubject.getOrDefault(subject, List.of()).stream()
                .filter(v -> SchemaNormalization.toParsingForm(v.schema()).equals(canonical))
                .findFirst();
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<RegisteredSchema> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaNotFoundException("Subject '" + subject + "' not found in in-process registry '" + scope + "'");
        }
        return versions.get(versions.size() - 1);
    }

    @Override
    public synchronized CompatibilityResult testCompatibility(String subject, Schema schema) {
        List<RegisteredSchema> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (versions.isEmpty()) {
            return CompatibilityResult.ok();
        }
        String level = getCompatibility(subject);
        List<Schema> against = level.endsWith("_TRANSITIVE")
                ? versions.stream().map(RegisteredSchema::schema).toList()
                : List.of(versions.get(versions.size() - 1).schema());
        return SchemaCompatibilityRules.check(level, schema, against);
    }

    @Override
    public synchronized String getCompatibility(String subject) {
        return compatibilityBySubject.getOrDefault(subject, globalCompatibility);
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        SchemaCompatibilityRules.requireKnownLevel(level);
        if (subject == null) {
            globalCompatibility = level;
        } else {
            compatibilityBySubject.put(subject, level);
        }
    }

    @Override
    public String toString() {
        return "mock://" + scope;
    }
}
