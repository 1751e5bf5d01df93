package dev.taskwatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.kafka.common.utils.AppInfoParser;
import picocli.CommandLine;

/** {@code taskwatch --version}: the build's version (from the jar's Maven metadata), Kafka clients and Java. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    private static final String POM_PROPERTIES = "/META-INF/maven/dev.taskwatch/taskwatch/pom.properties";

    @Override
    public String[] getVersion() {
        return new String[] {
            "taskwatch " + taskwatchVersion(),
            "Kafka clients " + AppInfoParser.getVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    /** The version of the running build; "development build" when run from classes rather than the jar. */
    public static String taskwatchVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String fromManifest = VersionProvider.class.getPackage().getImplementationVersion();
        return fromManifest != null ? fromManifest : "development build";
    }
}
