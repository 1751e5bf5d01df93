package dev.taskwatch.avro;

import static dev.taskwatch.serde.AvroSchemas.withoutJavaProperties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.taskwatch.serde.CompatibilityResult;
import dev.taskwatch.serde.SchemaCompatibilityRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The data contract of docs/design.md#data-contract, checked on the files in schemas/: each schema stays BACKWARD compatible
 * with every published version (Avro's own SchemaCompatibility, the check a registry runs), every field has a doc,
 * timestamps are timestamp-millis, every enum has a default.
 */
class SchemaContractTest {

    private static final Map<String, Schema> CURRENT = SchemaFiles.current();

    /** Problems reading data of {@code published} with {@code current}; empty when BACKWARD compatible. */
    static List<String> backwardProblems(String name, Schema current, String publishedLabel, Schema published) {
        CompatibilityResult result = SchemaCompatibilityRules.check("BACKWARD", current, List.of(published));
        return result.messages().stream()
                .map(m -> "schemas/" + name + ".avsc is not BACKWARD compatible with " + publishedLabel + ": " + m)
                .toList();
    }

    @TestFactory
    Stream<DynamicTest> everySchemaShouldReadEveryPublishedVersion() {
        List<DynamicTest> tests = new ArrayList<>();
        CURRENT.forEach((name, schema) -> SchemaFiles.publishedVersions(name).forEach((version, file) ->
                tests.add(DynamicTest.dynamicTest(name + " reads " + file, () -> {
                    List<String> problems = backwardProblems(name, schema, file.toString(),
                            SchemaFiles.published(name, version));
                    if (!problems.isEmpty()) {
                        fail(String.join("\n", problems));
                    }
                }))));
        assertThat(tests).hasSizeGreaterThanOrEqualTo(CURRENT.size());
        return tests.stream();
    }

    @Test
    void everySchemaShouldHaveAPublishedVersionAndNoPublishedTypeMayDisappear() {
        // The six contract types of docs/design.md#data-contract, plus TaskState: the transitions store's value. It is internal
        // (never on a registry subject) but lives in changelogs and local stores across upgrades, so it evolves
        // under the same BACKWARD rule.
        assertThat(CURRENT.keySet()).containsExactlyInAnyOrder("TaskKey", "TaskStatus", "TaskSnapshot",
                "TaskEventType", "TaskEvent", "WatchRequest", "TaskState");
        for (String name : CURRENT.keySet()) {
            assertThat(SchemaFiles.publishedVersions(name)).as("published versions of %s under %s", name,
                    SchemaFiles.HISTORY).isNotEmpty();
        }
        assertThat(CURRENT.keySet()).as("types in schemas/history that schemas/ still defines")
                .containsAll(SchemaFiles.publishedNames());
    }

    @Test
    void generatedClassesShouldBeTheSchemasInTheFiles() {
        // Generated classes add "avro.java.string": "String" to every string; the serde registers them without it.
        assertThat(withoutJavaProperties(TaskSnapshot.getClassSchema())).isEqualTo(CURRENT.get("TaskSnapshot"));
        assertThat(withoutJavaProperties(TaskEvent.getClassSchema())).isEqualTo(CURRENT.get("TaskEvent"));
        assertThat(withoutJavaProperties(TaskKey.getClassSchema())).isEqualTo(CURRENT.get("TaskKey"));
        assertThat(withoutJavaProperties(WatchRequest.getClassSchema())).isEqualTo(CURRENT.get("WatchRequest"));
        assertThat(TaskStatus.getClassSchema()).isEqualTo(CURRENT.get("TaskStatus"));
        assertThat(TaskEventType.getClassSchema()).isEqualTo(CURRENT.get("TaskEventType"));
        assertThat(TaskSnapshot.getClassSchema()).as("the Java property is really there")
                .isNotEqualTo(CURRENT.get("TaskSnapshot"));
    }

    // --- the check must catch breaking edits: deliberately incompatible copies, built here, never in schemas/ ---

    @Test
    void shouldRejectANewFieldWithoutDefaultNamingIt() {
        String text = SchemaFiles.read(SchemaFiles.SCHEMAS.resolve("TaskSnapshot.avsc")).replace(
                "\"fields\": [", "\"fields\": [\n    {\"name\": \"priority\", \"type\": \"int\", \"doc\": \"new\"},");
        Schema broken = parseWithCurrentTypes("TaskSnapshot", text);

        List<String> problems = backwardProblems("TaskSnapshot", broken, "v1", SchemaFiles.published("TaskSnapshot", 1));

        assertThat(problems).singleElement().asString()
                .contains("schemas/TaskSnapshot.avsc").contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("TaskSnapshot.priority");
    }

    @Test
    void shouldRejectARemovedEnumSymbolWithoutDefaultNamingTheField() {
        String status = SchemaFiles.read(SchemaFiles.SCHEMAS.resolve("TaskStatus.avsc"))
                .replace("\"CANCELED\", ", "").replace(",\n  \"default\": \"UNKNOWN\"", "");
        assertThat(status).doesNotContain("CANCELED").doesNotContain("default");
        Schema brokenStatus = new Schema.Parser().parse(status);
        Schema broken = new Schema.Parser().addTypes(List.of(brokenStatus, CURRENT.get("TaskKey")))
                .parse(SchemaFiles.read(SchemaFiles.SCHEMAS.resolve("TaskSnapshot.avsc")));

        List<String> problems = backwardProblems("TaskSnapshot", broken, "v1", SchemaFiles.published("TaskSnapshot", 1));

        assertThat(problems).singleElement().asString().contains("MISSING_ENUM_SYMBOLS")
                .contains("TaskSnapshot.status").contains("CANCELED");
        assertThat(backwardProblems("TaskStatus", brokenStatus, "v1", SchemaFiles.published("TaskStatus", 1)))
                .singleElement().asString().contains("schemas/TaskStatus.avsc").contains("CANCELED");
    }

    @Test
    void shouldRejectAChangedFieldTypeNamingTheField() {
        String text = SchemaFiles.read(SchemaFiles.SCHEMAS.resolve("TaskEvent.avsc"))
                .replace("{\"name\": \"name\", \"type\": \"string\"", "{\"name\": \"name\", \"type\": \"int\"");
        Schema broken = parseWithCurrentTypes("TaskEvent", text);

        assertThat(backwardProblems("TaskEvent", broken, "v1", SchemaFiles.published("TaskEvent", 1)))
                .singleElement().asString().contains("TYPE_MISMATCH").contains("TaskEvent.name");
    }

    @Test
    void shouldAcceptANewOptionalFieldAndANewEnumSymbol() {
        String text = SchemaFiles.read(SchemaFiles.SCHEMAS.resolve("TaskSnapshot.avsc")).replace(
                "\"fields\": [", "\"fields\": [\n    {\"name\": \"priority\", \"type\": [\"null\", \"int\"], "
                        + "\"default\": null, \"doc\": \"new\"},");
        Schema status = new Schema.Parser().parse(SchemaFiles.read(SchemaFiles.SCHEMAS.resolve("TaskStatus.avsc"))
                .replace("\"UNKNOWN\"]", "\"UNKNOWN\", \"SUSPENDED\"]"));
        Schema evolved = new Schema.Parser().addTypes(List.of(status, CURRENT.get("TaskKey"))).parse(text);

        assertThat(backwardProblems("TaskSnapshot", evolved, "v1", SchemaFiles.published("TaskSnapshot", 1)))
                .isEmpty();
    }

    private static Schema parseWithCurrentTypes(String name, String text) {
        List<Schema> others = CURRENT.entrySet().stream().filter(e -> !e.getKey().equals(name))
                .filter(e -> e.getValue().getType() == Schema.Type.ENUM || e.getKey().equals("TaskKey"))
                .map(Map.Entry::getValue).toList();
        return new Schema.Parser().addTypes(others).parse(text);
    }

    // --- conventions of docs/design.md#data-contract ---

    @Test
    void everyTypeAndFieldShouldHaveADoc() {
        List<String> missing = new ArrayList<>();
        CURRENT.values().forEach(s -> walk(s, (path, field) -> {
            if (field == null) {
                if (s.getDoc() == null || s.getDoc().isBlank()) {
                    missing.add(path);
                }
            } else if (field.doc() == null || field.doc().isBlank()) {
                missing.add(path);
            }
        }));
        assertThat(missing).as("types and fields without doc").isEmpty();
    }

    @Test
    void everyTimestampShouldBeTimestampMillis() {
        List<String> wrong = new ArrayList<>();
        int[] timestamps = {0};
        CURRENT.values().forEach(s -> walk(s, (path, field) -> {
            if (field == null) {
                return;
            }
            Schema type = nonNull(field.schema());
            boolean millis = type.getType() == Schema.Type.LONG
                    && type.getLogicalType() instanceof LogicalTypes.TimestampMillis;
            if (field.name().endsWith("_at")) {
                timestamps[0]++;
                if (!millis) {
                    wrong.add(path + " is " + type + ", expected long/timestamp-millis");
                }
            } else if (type.getLogicalType() != null && type.getType() == Schema.Type.LONG && !millis) {
                wrong.add(path + " uses " + type.getLogicalType().getName() + ", expected timestamp-millis");
            }
        }));
        assertThat(wrong).isEmpty();
        assertThat(timestamps[0]).as("timestamp fields found").isGreaterThanOrEqualTo(8);
    }

    @Test
    void everyEnumShouldDeclareADefault() {
        List<Schema> enums = new ArrayList<>();
        CURRENT.values().forEach(s -> collectEnums(s, enums));
        assertThat(enums).extracting(Schema::getName).contains("TaskStatus", "TaskEventType");
        for (Schema e : enums) {
            assertThat(e.getEnumDefault()).as("default of enum %s", e.getFullName()).isNotNull();
            assertThat(e.getEnumSymbols()).contains(e.getEnumDefault());
        }
    }

    private interface FieldVisitor {
        /** field == null: the named type at {@code path} itself. */
        void visit(String path, Schema.Field field);
    }

    private static void walk(Schema schema, FieldVisitor visitor) {
        walk(schema, schema.getName(), visitor);
    }

    private static void walk(Schema schema, String path, FieldVisitor visitor) {
        switch (schema.getType()) {
            case RECORD -> {
                visitor.visit(path, null);
                for (Schema.Field f : schema.getFields()) {
                    visitor.visit(path + "." + f.name(), f);
                    Schema t = nonNull(f.schema());
                    if (t.getType() == Schema.Type.RECORD && !t.getName().equals(schema.getName())) {
                        walk(t, path + "." + f.name(), visitor);
                    }
                }
            }
            case ENUM -> visitor.visit(path, null);
            default -> { }
        }
    }

    private static void collectEnums(Schema schema, List<Schema> out) {
        switch (schema.getType()) {
            case ENUM -> {
                if (!out.contains(schema)) {
                    out.add(schema);
                }
            }
            case RECORD -> schema.getFields().forEach(f -> collectEnums(f.schema(), out));
            case UNION -> schema.getTypes().forEach(t -> collectEnums(t, out));
            case ARRAY -> collectEnums(schema.getElementType(), out);
            case MAP -> collectEnums(schema.getValueType(), out);
            default -> { }
        }
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst()
                    .orElse(schema);
        }
        return schema;
    }
}
