package dev.taskwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reading the deployment files for the tests of this package: YAML documents, nested keys, rendered overlays. */
final class DeployFiles {

    /** The repository root (Maven's basedir when run by surefire). */
    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    private DeployFiles() {}

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first YAML document of {@code text} as a mapping (empty for an empty document). */
    static Map<String, Object> yaml(String text) {
        Object loaded = parser().load(text);
        return loaded == null ? Map.of() : map(loaded, "YAML document");
    }

    /** Every non-empty document of a multi-document YAML text, each a mapping. */
    static List<Map<String, Object>> documents(String text, String where) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : parser().loadAll(text)) {
            if (doc != null) {
                docs.add(map(doc, where));
            }
        }
        return docs;
    }

    /** The value at {@code keys} below {@code node}, or null where a level is missing or not a mapping. */
    static Object nested(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String where) {
        if (!(node instanceof Map<?, ?>)) {
            throw new AssertionError(where + ": expected a mapping, got " + node);
        }
        return (Map<String, Object>) node;
    }

    /** {@code kubectl kustomize dir}, failing the test with kubectl's message when it does not render. */
    static String kustomize(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("kubectl kustomize " + dir + " finished").isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize " + dir + ": " + err).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    static boolean onPath(String command) {
        for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static Yaml parser() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }
}
