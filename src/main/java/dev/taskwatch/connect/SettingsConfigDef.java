package dev.taskwatch.connect;

import dev.taskwatch.config.Setting;
import dev.taskwatch.config.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The connector's {@link ConfigDef}, derived from the table of settings ({@link Settings}): every key of a fixed path
 * with its default and documentation, grouped by section, secrets as {@code PASSWORD}, so that Connect's
 * {@code validate} endpoint and UIs show them. Keys named by the user ({@code targets[i].*},
 * {@code credentials.<name>.*}) cannot be declared; {@link TaskwatchSourceConnector#validate} still reports them.
 *
 * <p>Every key is declared as text: taskwatch's own binding parses and checks the values, so each problem appears
 * once, worded as for the YAML file, instead of once by Connect's type check and once by taskwatch.
 */
final class SettingsConfigDef {

    /** A worker has no in-process registry to fall back on, so the connector needs the URL. */
    private static final Set<String> REQUIRED = Set.of("schema-registry.url");
    private static final Set<String> HIGH = Set.of("schema-registry.url", "kafka.bootstrap-servers", "topics.prefix");
    /** Where a key means something else in a worker than in the file. */
    private static final Map<String, String> CONNECTOR_DOC = Map.of("kafka.bootstrap-servers",
            "Brokers of the watch-requests topic (read by each task for its own targets' ids).");

    private SettingsConfigDef() {}

    static ConfigDef build() {
        ConfigDef def = new ConfigDef();
        Map<String, Integer> positions = new HashMap<>();
        for (Setting<?> setting : Settings.ALL) {
            if (!setting.fixed()) {
                continue;
            }
            String path = setting.path();
            String group = path.substring(0, path.indexOf('.'));
            Object defaultValue = REQUIRED.contains(path) ? ConfigDef.NO_DEFAULT_VALUE
                    : setting.secret() ? null : setting.defaultText();
            def.define(path, setting.secret() ? ConfigDef.Type.PASSWORD : ConfigDef.Type.STRING, defaultValue, null,
                    HIGH.contains(path) ? ConfigDef.Importance.HIGH : ConfigDef.Importance.MEDIUM, doc(setting),
                    group, positions.merge(group, 1, Integer::sum), ConfigDef.Width.LONG, path);
        }
        return def;
    }

    /** The README's text without its Markdown backticks, after the type. */
    private static String doc(Setting<?> setting) {
        String text = CONNECTOR_DOC.getOrDefault(setting.path(), setting.documentation().replace("`", ""));
        return "(" + setting.type().name() + ") " + text;
    }
}
