package dev.taskwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the table of {@link Settings} rendered: one row per key with its type, default
 * and documentation. Run with {@code -Dreadme.update=true} to rewrite the README's table from the declarations.
 */
class ReadmeConfigTableTest {

    private static final String HEADER = "| Key | Type | Default |\n|---|---|---|\n";

    static String renderedTable() {
        return HEADER + Settings.ALL.stream()
                .map(s -> "| `" + s.path() + "` | " + s.type().name() + " | " + s.documentation() + " |")
                .collect(Collectors.joining("\n")) + "\n";
    }

    @Test
    void shouldShowExactlyTheDeclaredSettingsInTheReadmeTable() throws Exception {
        Path file = Path.of("README.md");
        String readme = Files.readString(file, StandardCharsets.UTF_8);
        int start = readme.indexOf(HEADER);
        assertThat(start).as("README has the configuration table").isPositive();
        int end = readme.indexOf("\n\n", start) + 1;
        String table = readme.substring(start, end);
        String expected = renderedTable();
        if (!table.equals(expected) && Boolean.getBoolean("readme.update")) {
            Files.writeString(file, readme.substring(0, start) + expected + readme.substring(end),
                    StandardCharsets.UTF_8);
            table = expected;
        }
        assertThat(table).as("README table (rewrite it with -Dreadme.update=true)").isEqualTo(expected);
    }
}
