package dev.taskwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The example file against the table of {@link Settings}: it shows every key (set, or as a commented-out line that is
 * a valid setting too), and every key of a fixed path that has a default shows that default.
 */
class ExampleFileTest {

    /** A commented-out setting: {@code # key: value}, indented like the keys around it. */
    private static final Pattern COMMENTED_KEY = Pattern.compile("(?m)^(\\s*)# ([a-z][a-z-]*: .*)$");
    private static final Map<String, String> ENV = Map.of("OTC_TOKEN", "t", "OTC_USER", "u", "OTC_PASSWORD", "p",
            "OTC_DOMAIN", "d", "OTC_ACCESS_KEY", "ak", "OTC_SECRET_KEY", "sk", "OTC_PROJECT_ID", "p1");

    /** The example with its commented-out settings switched on. */
    private static String uncommented() throws Exception {
        return COMMENTED_KEY.matcher(Files.readString(Path.of("taskwatch.example.yaml"))).replaceAll("$1$2");
    }

    @Test
    void shouldBindTheExampleWithItsCommentedSettingsSwitchedOn() throws Exception {
        TaskwatchConfig config = ConfigLoader.parse(uncommented(), ENV);

        assertThat(config.transitions().groupInstanceId()).isEqualTo("taskwatch-0");
        assertThat(config.discovery().endpoint()).contains("{service}");
    }

    @Test
    void shouldShowEveryDeclaredKeyInTheExample() throws Exception {
        Set<String> shown = new LinkedHashSet<>();
        collect(new YAMLMapper().readTree(uncommented()), "", shown);

        List<Setting<?>> settings = new ArrayList<>();
        for (String path : shown) {
            ConfigKeys.setting(path).ifPresent(settings::add);
        }
        assertThat(Settings.ALL.stream().filter(s -> !settings.contains(s)).map(Setting::path))
                .as("keys not shown in the example (set, or as '# key: value')").isEmpty();
    }

    @Test
    void shouldShowTheDefaultOfEveryFixedKeyThatHasOne() throws Exception {
        JsonNode example = new YAMLMapper().readTree(uncommented());
        for (Setting<?> setting : Settings.ALL) {
            if (!setting.fixed() || setting.defaultText() == null) {
                continue;
            }
            JsonNode value = example.at("/" + setting.path().replace('.', '/'));
            assertThat(value.isMissingNode()).as(setting.path() + " in the example").isFalse();
            Matcher fallback = Pattern.compile("\\$\\{[A-Z_]+:-(.*)}").matcher(value.asText());
            String text = fallback.matches() ? fallback.group(1) : value.asText();
            Object parsed = setting.type().parser().parse(new YAMLMapper().readTree(text.isEmpty() ? "\"\"" : text));
            assertThat(parsed).as(setting.path() + " shows its default").isEqualTo(setting.defaultValue());
        }
    }

    private static void collect(JsonNode node, String path, Set<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> collect(e.getValue(), path.isEmpty() ? e.getKey()
                    : path + "." + e.getKey(), out));
        } else if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + i + "]", out);
            }
        } else {
            out.add(path);
        }
    }
}
