package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.connect.components.Versioned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Connect plugin as the build packs it (target/taskwatch-connect-plugin.zip): its documentation's links resolve
 * inside the zip, and it tells Connect its version: the thin
 * jar's manifest carries {@code Implementation-Version}, and the connector and the converter, loaded from the zip's
 * jars in their own class loader as a worker's plugin loader does, answer it from {@code version()} (Connect's
 * {@code PluginScanner.versionFor} reads {@link Versioned#version()} of every plugin, converters included).
 */
class ConnectPluginZipIT {

    @TempDir
    Path dir;

    @Test
    void theConnectorAndTheConverterReportTheBuildsVersionFromThePluginZip() throws Exception {
        Path zip = Path.of("target/taskwatch-connect-plugin.zip");
        assertThat(zip).as("built by mvn package").exists();
        List<URL> jars = new ArrayList<>();
        String version = null;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                if (e.isDirectory() || !e.getName().endsWith(".jar")) {
                    continue;
                }
                Path jar = dir.resolve(Path.of(e.getName()).getFileName().toString());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, jar);
                }
                jars.add(jar.toUri().toURL());
                if (jar.getFileName().toString().startsWith("taskwatch-")) {
                    try (JarFile thin = new JarFile(jar.toFile())) {
                        version = thin.getManifest().getMainAttributes().getValue("Implementation-Version");
                        Properties pom = new Properties();
                        pom.load(thin.getInputStream(thin.getEntry(
                                "META-INF/maven/dev.taskwatch/taskwatch/pom.properties")));
                        assertThat(version).as("manifest Implementation-Version").isEqualTo(pom.getProperty("version"));
                    }
                }
            }
        }
        assertThat(version).as("the thin taskwatch jar is in the zip").isNotBlank();
        // what the worker provides: connect-api and kafka-clients
        jars.add(Versioned.class.getProtectionDomain().getCodeSource().getLocation());
        jars.add(KafkaProducer.class.getProtectionDomain().getCodeSource().getLocation());

        try (URLClassLoader plugin = new URLClassLoader(jars.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            for (String name : List.of(TaskwatchSourceConnector.class.getName(),
                    TaskwatchAvroConverter.class.getName())) {
                Class<?> type = plugin.loadClass(name);
                assertThat(type.getClassLoader()).as("loaded from the zip").isSameAs(plugin);
                Object instance = type.getConstructor().newInstance();
                Class<?> versioned = plugin.loadClass(Versioned.class.getName());
                assertThat(versioned.isInstance(instance)).as(name + " is Versioned").isTrue();
                assertThat(versioned.getMethod("version").invoke(instance)).as(name + ".version()").isEqualTo(version);
            }
        }
    }

    @Test
    void theZipShipsTheConnectorWithoutTheDevKitOrTheCommands() throws Exception {
        List<String> classes = new ArrayList<>();
        try (ZipFile z = new ZipFile("target/taskwatch-connect-plugin.zip")) {
            ZipEntry jar = z.stream()
                    .filter(e -> e.getName().matches("taskwatch-connect-plugin/lib/taskwatch-[^/]*\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no taskwatch jar in the zip"));
            try (InputStream in = z.getInputStream(jar); java.util.zip.ZipInputStream inner =
                    new java.util.zip.ZipInputStream(in)) {
                for (ZipEntry e = inner.getNextEntry(); e != null; e = inner.getNextEntry()) {
                    classes.add(e.getName());
                }
            }
        }
        assertThat(classes).contains("dev/taskwatch/connect/TaskwatchSourceConnector.class",
                "dev/taskwatch/poller/TargetPoller.class");
        assertThat(classes).noneMatch(c -> c.startsWith("dev/taskwatch/devkit/") || c.startsWith("dev/taskwatch/cli/"));
    }

    @Test
    void everyRelativeLinkOfTheDocumentationInTheZipResolvesInsideTheZip() throws Exception {
        java.util.Set<String> entries = new java.util.HashSet<>();
        java.util.Map<String, String> markdown = new java.util.TreeMap<>();
        try (ZipFile z = new ZipFile("target/taskwatch-connect-plugin.zip")) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                String name = e.getName().endsWith("/") ? e.getName().substring(0, e.getName().length() - 1)
                        : e.getName();
                entries.add(name);
                if (name.endsWith(".md")) {
                    try (InputStream in = z.getInputStream(e)) {
                        markdown.put(name, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
        }
        assertThat(markdown).containsKeys("taskwatch-connect-plugin/doc/README.md",
                "taskwatch-connect-plugin/doc/deploy/connect/README.md", "taskwatch-connect-plugin/doc/docs/scaling.md",
                "taskwatch-connect-plugin/doc/docs/operations.md");
        java.util.regex.Pattern link = java.util.regex.Pattern.compile("\\]\\(([^)\\s]+)\\)");
        List<String> broken = new ArrayList<>();
        markdown.forEach((file, text) -> {
            java.util.regex.Matcher m = link.matcher(text);
            while (m.find()) {
                String target = m.group(1).replaceAll("#.*$", "");
                if (target.isEmpty() || target.matches("^[a-z]+:.*")) {
                    continue; // an anchor in the same file, or http(s)/mailto
                }
                String resolved = Path.of(file).getParent().resolve(target).normalize().toString().replace('\\', '/');
                if (resolved.endsWith("/")) {
                    resolved = resolved.substring(0, resolved.length() - 1);
                }
                if (!entries.contains(resolved)) {
                    broken.add(file + " -> " + m.group(1));
                }
            }
        });
        assertThat(broken).as("links that lead nowhere in the unpacked plugin").isEmpty();
    }
}
