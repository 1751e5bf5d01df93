package dev.taskwatch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The consumer example printed in docs/consumers.md is the class the test suite compiles and runs. */
class ConsumersDocTest {

    @Test
    void shouldPrintTheTestedConsumerExampleVerbatim() throws Exception {
        String doc = Files.readString(Path.of("docs/consumers.md"));
        String marker = "<!-- example: CompletedTasksConsumer -->\n```java\n";
        int start = doc.indexOf(marker);
        assertThat(start).as("marker in docs/consumers.md").isNotNegative();
        String snippet = doc.substring(start + marker.length(), doc.indexOf("\n```", start + marker.length()));
        String source = Files.readString(Path.of("src/test/java/dev/taskwatch/examples/CompletedTasksConsumer.java"));
        assertThat(source.substring(source.indexOf("import ")).strip()).isEqualTo(snippet.strip());
    }

    @Test
    void shouldListTheConsumerDocsInTheReadme() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("(docs/events.md)").contains("(docs/consumers.md)").contains("(docs/design.md)");
    }
}
