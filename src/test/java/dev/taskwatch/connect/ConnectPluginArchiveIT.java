package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** The plugin archive built by {@code package}: the connector's classes without the dev kit and the commands. */
class ConnectPluginArchiveIT {

    private static final Path ARCHIVE = Path.of("target", "taskwatch-connect-plugin.zip");

    @Test
    void shouldShipTheConnectorWithoutTheDevKitOrTheCommands() throws Exception {
        assertThat(ARCHIVE).exists();
        List<String> classes = new ArrayList<>();
        try (ZipFile zip = new ZipFile(ARCHIVE.toFile())) {
            ZipEntry jar = zip.stream()
                    .filter(e -> e.getName().matches("taskwatch-connect-plugin/lib/taskwatch-[^/]*\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no taskwatch jar in " + ARCHIVE));
            try (InputStream in = zip.getInputStream(jar); ZipInputStream inner = new ZipInputStream(in)) {
                for (ZipEntry e = inner.getNextEntry(); e != null; e = inner.getNextEntry()) {
                    classes.add(e.getName());
                }
            }
        }
        assertThat(classes).contains("dev/taskwatch/connect/TaskwatchSourceConnector.class",
                "dev/taskwatch/poller/TargetPoller.class");
        assertThat(classes).noneMatch(c -> c.startsWith("dev/taskwatch/devkit/") || c.startsWith("dev/taskwatch/cli/"));
        assertThat(Files.size(ARCHIVE)).isPositive();
    }
}
