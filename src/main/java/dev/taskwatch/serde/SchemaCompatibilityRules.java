package dev.taskwatch.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Confluent's compatibility levels expressed with Avro's own {@link SchemaCompatibility} API. BACKWARD means the new
 * schema can read data written with the old one; FORWARD the reverse; FULL both. Messages name the offending field by
 * its location in the schema, so a build or registry error says exactly what broke.
 */
public final class SchemaCompatibilityRules {

    private static final Set<String> LEVELS = Set.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
            "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    private SchemaCompatibilityRules() {}

    public static void requireKnownLevel(String level) {
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("Unknown compatibility level '" + level + "', expected one of " + LEVELS);
        }
    }

    /** Checks {@code candidate} against each of {@code existing} under {@code level}. */
    public static CompatibilityResult check(String level, Schema candidate, List<Schema> existing) {
        requireKnownLevel(level);
        String base = level.replace("_TRANSITIVE", "");
        List<String> messages = new ArrayList<>();
        for (Schema old : existing) {
            if (base.equals("BACKWARD") || base.equals("FULL")) {
                collect("new schema cannot read data written with the old one",
                        SchemaCompatibility.checkReaderWriterCompatibility(candidate, old), messages);
            }
            if (base.equals("FORWARD") || base.equals("FULL")) {
                collect("old schema cannot read data written with the new one",
                        SchemaCompatibility.checkReaderWriterCompatibility(old, candidate), messages);
            }
        }
        return new CompatibilityResult(messages.isEmpty(), List.copyOf(messages));
    }

    private static void collect(String what, SchemaPairCompatibility pair, List<String> messages) {
        if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            messages.add(what + ": " + describe(pair));
        }
    }

    static String describe(SchemaPairCompatibility pair) {
        List<String> parts = new ArrayList<>();
        for (Incompatibility i : pair.getResult().getIncompatibilities()) {
            parts.add(i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")");
        }
        return String.join(", ", parts);
    }
}
