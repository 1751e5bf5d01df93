package dev.taskwatch.devkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskwatch.serde.RegisteredSchema;
import dev.taskwatch.serde.CompatibilityResult;
import dev.taskwatch.serde.IncompatibleSchemaException;
import dev.taskwatch.serde.SchemaNotFoundException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InProcessSchemaRegistryTest {

    private final InProcessSchemaRegistry registry = new InProcessSchemaRegistry();

    private static final Schema V1 = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("a").endRecord();
    private static final Schema V2_OPTIONAL_B = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("a").optionalInt("b").endRecord();
    private static final Schema V2_REQUIRED_B = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("a").requiredInt("b").endRecord();
    private static final Schema V3_NO_A = SchemaBuilder.record("Thing").namespace("t").fields()
            .optionalInt("b").endRecord();

    @Test
    void shouldGiveGlobalIdsAndPerSubjectVersionsLikeConfluent() {
        int id = registry.register("s1", V1);

        assertThat(registry.register("s1", V1)).isEqualTo(id);
        assertThat(registry.register("s2", V1)).as("same schema, other subject: same global id").isEqualTo(id);
        int id2 = registry.register("s1", V2_OPTIONAL_B);
        assertThat(id2).isNotEqualTo(id);
        assertThat(registry.latest("s1")).isEqualTo(new RegisteredSchema("s1", id2, 2, V2_OPTIONAL_B));
        assertThat(registry.lookup("s1", V1)).contains(new RegisteredSchema("s1", id, 1, V1));
        assertThat(registry.getById(id2)).isEqualTo(V2_OPTIONAL_B);
    }

    @Test
    void shouldRejectABackwardIncompatibleVersionNamingSubjectAndField() {
        registry.register("s", V1);
        assertThat(registry.getCompatibility("s")).isEqualTo("BACKWARD");

        Throwable t = catchThrowable(() -> registry.register("s", V2_REQUIRED_B));

        assertThat(t).isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("'s'")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE").hasMessageContaining("Thing.b");
        assertThat(registry.latest("s").version()).isEqualTo(1);
    }

    @Test
    void shouldApplyTheSubjectsLevel() {
        registry.register("fwd", V1);
        registry.setCompatibility("fwd", "FORWARD");
        // removing a field with no default breaks old readers (FORWARD), adding a required one does not
        assertThat(registry.testCompatibility("fwd", V2_REQUIRED_B).compatible()).isTrue();
        assertThat(registry.testCompatibility("fwd", V3_NO_A).messages()).singleElement().asString()
                .contains("old schema cannot read").contains("Thing.a");

        registry.register("none", V1);
        registry.setCompatibility("none", "NONE");
        assertThat(registry.register("none", V3_NO_A)).isPositive();
    }

    @Test
    void shouldCheckTransitiveLevelsAgainstEveryVersion() {
        registry.setCompatibility("tr", "NONE");
        registry.register("tr", V1);
        registry.register("tr", V3_NO_A);
        Schema onlyA = SchemaBuilder.record("Thing").namespace("t").fields().optionalString("c").endRecord();

        registry.setCompatibility("tr", "BACKWARD");
        assertThat(registry.testCompatibility("tr", onlyA).compatible()).isTrue();
        registry.setCompatibility("tr", "BACKWARD_TRANSITIVE");
        assertThat(registry.testCompatibility("tr", onlyA).compatible()).as("v1 has string a, v3 int b; c optional")
                .isTrue();
        Schema requiredC = SchemaBuilder.record("Thing").namespace("t").fields().requiredString("c").endRecord();
        assertThat(registry.testCompatibility("tr", requiredC).messages()).hasSize(2);
    }

    @Test
    void shouldRejectUnknownLevels() {
        assertThat(catchThrowable(() -> registry.setCompatibility("s", "BACKWARDS")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BACKWARDS");
    }

    @Test
    void shouldNameWhatIsMissing() {
        assertThat(catchThrowable(() -> registry.getById(99))).isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("99").hasMessageContaining("in-process registry");
        assertThat(catchThrowable(() -> registry.latest("nope"))).isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("'nope'");
    }
}
