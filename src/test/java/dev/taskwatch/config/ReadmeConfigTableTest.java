package dev.taskwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README "Configuration" table documents exactly the keys of the model, each by its full path. */
class ReadmeConfigTableTest {

    @Test
    void shouldDocumentExactlyTheKeysOfTheModelInTheReadmeTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("| Key | Default |");
        assertThat(start).as("README has the configuration table").isPositive();
        String table = readme.substring(start, readme.indexOf("\n\n", start));
        Set<String> documented = new LinkedHashSet<>();
        for (String row : table.split("\n")) {
            String[] cells = row.split("\\|");
            if (cells.length < 2 || cells[1].isBlank() || cells[1].contains("---") || cells[1].contains("Key")) {
                continue;
            }
            Matcher key = Pattern.compile("`([^`]+)`").matcher(cells[1]);
            while (key.find()) {
                documented.add(key.group(1));
            }
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ConfigKeys.ALL);
    }
}
