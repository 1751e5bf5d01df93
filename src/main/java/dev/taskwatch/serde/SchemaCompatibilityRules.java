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
                collect("new schema cannot read data written with the old one", candidate,
                        SchemaCompatibility.checkReaderWriterCompatibility(candidate, old), messages);
            }
            if (base.equals("FORWARD") || base.equals("FULL")) {
                collect("old schema cannot read data written with the new one", old,
                        SchemaCompatibility.checkReaderWriterCompatibility(old, candidate), messages);
            }
        }
        return new CompatibilityResult(messages.isEmpty(), List.copyOf(messages));
    }

    private static void collect(String what, Schema reader, SchemaPairCompatibility pair, List<String> messages) {
        if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            messages.add(what + ": " + describe(reader, pair));
        }
    }

    /** One line per incompatibility: its type, the field as {@code Record.field[.field]}, Avro's pointer and detail. */
    public static String describe(Schema reader, SchemaPairCompatibility pair) {
        List<String> parts = new ArrayList<>();
        for (Incompatibility i : pair.getResult().getIncompatibilities()) {
            parts.add(i.getType() + " at " + fieldPath(reader, i.getLocation()) + " [" + i.getLocation() + "] ("
                    + i.getMessage() + ")");
        }
        return String.join(", ", parts);
    }

    /**
     * Turns Avro's JSON-pointer-like location ({@code /fields/5/type/symbols}) into field names
     * ({@code TaskSnapshot.status}), walking the reader schema; stops where the pointer leaves fields.
     */
    public static String fieldPath(Schema reader, String location) {
        StringBuilder path = new StringBuilder(reader.getName());
        Schema current = reader;
        String[] tokens = location == null ? new String[0] : location.split("/");
        for (int t = 0; t < tokens.length; t++) {
            String token = tokens[t];
            if (token.isEmpty() || token.equals("type")) {
                continue;
            }
            try {
                if (token.equals("fields") && current.getType() == Schema.Type.RECORD && t + 1 < tokens.length) {
                    Schema.Field field = current.getFields().get(Integer.parseInt(tokens[++t]));
                    path.append('.').append(field.name());
                    current = field.schema();
                } else if (current.getType() == Schema.Type.UNION && token.chars().allMatch(Character::isDigit)) {
                    current = current.getTypes().get(Integer.parseInt(token));
                } else if (token.equals("items") && current.getType() == Schema.Type.ARRAY) {
                    path.append("[]");
                    current = current.getElementType();
                } else if (token.equals("values") && current.getType() == Schema.Type.MAP) {
                    path.append("{}");
                    current = current.getValueType();
                } else {
                    break; // symbols, size, name: the field reached so far is the one to name
                }
            } catch (RuntimeException e) {
                break; // a pointer into the writer's side: keep what was resolved
            }
        }
        return path.toString();
    }
}
