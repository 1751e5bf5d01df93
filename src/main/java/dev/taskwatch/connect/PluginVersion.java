package dev.taskwatch.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version Kafka Connect shows for taskwatch's plugins ({@code GET /connector-plugins}, {@code
 * connector.plugin.version}): the {@code Implementation-Version} of the jar's manifest (the build writes it), else
 * the version in the jar's Maven metadata, else {@value #UNKNOWN} when running from classes (tests, an IDE).
 */
final class PluginVersion {

    static final String UNKNOWN = "unknown";
    private static final String POM_PROPERTIES = "/META-INF/maven/dev.taskwatch/taskwatch/pom.properties";
    private static final String VERSION = read();

    private PluginVersion() {}

    static String get() {
        return VERSION;
    }

    private static String read() {
        String fromManifest = PluginVersion.class.getPackage().getImplementationVersion();
        if (fromManifest != null && !fromManifest.isBlank()) {
            return fromManifest;
        }
        try (InputStream in = PluginVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through: a version is informational
        }
        return UNKNOWN;
    }
}
