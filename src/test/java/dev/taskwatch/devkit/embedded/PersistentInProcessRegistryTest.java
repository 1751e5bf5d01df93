package dev.taskwatch.devkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal-backed registry that {@code taskwatch run} uses, so ids on topics in its data dir stay valid. */
class PersistentInProcessRegistryTest {

    private static final Schema A = SchemaBuilder.record("A").fields().requiredString("x").endRecord();
    private static final Schema B = SchemaBuilder.record("B").fields().requiredLong("y").endRecord();

    @Test
    void shouldGiveEverySchemaItsOldIdAfterARestartWhateverOrderItIsUsedIn(@TempDir Path dir) {
        Path journal = dir.resolve("schemas.jsonl");
        InProcessSchemaRegistry before = InProcessSchemaRegistry.persistent(journal);
        int idA = before.register("topic-a-value", A);
        int idB = before.register("topic-b-value", B);

        // A new process: a fresh registry on the same journal, and B registered first this time.
        InProcessSchemaRegistry after = InProcessSchemaRegistry.persistent(journal);
        assertThat(after.register("topic-b-value", B)).isEqualTo(idB);
        assertThat(after.getById(idA)).isEqualTo(A);
        assertThat(after.latest("topic-a-value").id()).isEqualTo(idA);
    }

    @Test
    void shouldNameTheFileAndLineOfACorruptJournal(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("schemas.jsonl");
        Files.writeString(journal, "{\"subject\":\"s\",\"schema\":\"{not a schema\"}\n");

        assertThatThrownBy(() -> InProcessSchemaRegistry.persistent(journal))
                .hasMessageContaining(journal.toString()).hasMessageContaining("line 1");
    }
}
