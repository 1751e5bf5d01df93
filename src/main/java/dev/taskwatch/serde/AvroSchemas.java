package dev.taskwatch.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import org.apache.avro.Schema;

/** Schema helpers of the serde. */
public final class AvroSchemas {

    /** Property the Avro compiler adds to every string of a generated class ({@code stringType String}). */
    public static final String JAVA_STRING_PROPERTY = "avro.java.string";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AvroSchemas() {}

    /**
     * {@code schema} without the Java-only {@code avro.java.*} properties that generated classes carry, i.e. the schema
     * as written in schemas/*.avsc. Encoding and compatibility are unaffected; registering this form keeps the
     * registry's copy language-neutral and equal to the contract files.
     */
    public static Schema withoutJavaProperties(Schema schema) {
        String json = schema.toString();
        if (!json.contains("\"avro.java.")) {
            return schema;
        }
        try {
            JsonNode tree = JSON.readTree(json);
            strip(tree);
            return new Schema.Parser().parse(JSON.writeValueAsString(tree));
        } catch (Exception e) {
            throw new IllegalArgumentException("Cannot strip Java properties from schema " + schema.getFullName(), e);
        }
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                if (names.next().startsWith("avro.java.")) {
                    names.remove();
                }
            }
            // {"type": "string"} left alone by the removal reads the same as "string"
            object.forEach(AvroSchemas::strip);
        } else if (node != null && node.isArray()) {
            node.forEach(AvroSchemas::strip);
        }
    }
}
