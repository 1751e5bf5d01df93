package dev.taskwatch.devkit.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import dev.taskwatch.serde.CompatibilityResult;
import dev.taskwatch.serde.IncompatibleSchemaException;
import dev.taskwatch.serde.RegisteredSchema;
import dev.taskwatch.serde.SchemaCompatibilityRules;
import dev.taskwatch.serde.SchemaNotFoundException;
import dev.taskwatch.serde.SchemaRegistryClient;
import dev.taskwatch.serde.SchemaRegistryException;

/**
 * An in-memory schema registry with Confluent's semantics: global ids, per-subject versions, per-subject compatibility
 * (default {@code BACKWARD}, checked against the latest version like Confluent's default). It has no URL: whoever
 * creates one hands the instance to the serdes ({@code AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT}), so a producer and a
 * consumer given the same instance agree on ids and nothing is shared behind anyone's back.
 *
 * <p>It may be backed by a journal file ({@link #persistent}): every registration is appended to it as one JSON line
 * and replayed in order when it is opened again, so ids survive a restart. {@code taskwatch run} needs this because its
 * embedded broker keeps records across restarts and those records carry the ids.
 */
public final class InProcessSchemaRegistry implements SchemaRegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path journal;
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonicalForm = new HashMap<>();
    private final Map<String, List<RegisteredSchema>> versionsBySubject = new HashMap<>();
    private final Map<String, String> compatibilityBySubject = new HashMap<>();
    private String globalCompatibility = "BACKWARD";
    private int nextId = 1;
    private boolean replaying;

    /** An empty registry that forgets everything when dropped. */
    public InProcessSchemaRegistry() {
        this.journal = null;
    }

    private InProcessSchemaRegistry(Path journal) {
        this.journal = journal;
    }

    /**
     * A registry backed by {@code journal}: registrations already in the file are replayed (so every schema gets the id
     * it had before) and new ones are appended.
     *
     * @throws UncheckedIOException if the journal cannot be read; IllegalStateException naming the file and line if a
     *                              line cannot be replayed
     */
    public static InProcessSchemaRegistry persistent(Path journal) {
        InProcessSchemaRegistry registry = new InProcessSchemaRegistry(journal);
        synchronized (registry) {
            registry.replaying = true;
            try {
                registry.replay(journal);
            } finally {
                registry.replaying = false;
            }
        }
        return registry;
    }

    private void replay(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    JsonNode entry = JSON.readTree(lines.get(i));
                    register(entry.path("subject").asText(), new Schema.Parser().parse(entry.path("schema").asText()));
                } catch (RuntimeException | IOException e) {
                    throw new IllegalStateException("Schema journal " + file + " line " + (i + 1)
                            + " is not a registration this registry can replay: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema journal " + file, e);
        }
    }

    private void append(String subject, Schema schema) {
        if (journal == null || replaying) {
            return;
        }
        String line = JSON.createObjectNode().put("subject", subject).put("schema", schema.toString()) + "\n";
        try {
            Files.writeString(journal, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new SchemaRegistryException("Cannot append to schema journal " + journal + ": " + e, e);
        }
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
        append(subject, schema);
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("Schema id " + id + " not found in the in-process registry");
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
            throw new SchemaNotFoundException("Subject '" + subject + "' not found in the in-process registry");
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
        return journal == null ? "in-process registry" : "in-process registry (journal " + journal + ")";
    }
}
