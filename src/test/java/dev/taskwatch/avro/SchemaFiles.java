package dev.taskwatch.avro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.AvroRuntimeException;

/**
 * Reads the schema files of the data contract: {@code schemas/<Name>.avsc} (one named type each, referring to the
 * others by name) and the published versions {@code schemas/history/<Name>/v<N>.avsc}.
 *
 * <p>A published version that refers to another type by name is resolved against that type's published version with
 * the same number, or else the highest lower one: what a registry held when the version was registered. A published
 * version may also be self-contained (nested types inline, as a registry returns it).
 */
final class SchemaFiles {

    static final Path SCHEMAS = Path.of("schemas");
    static final Path HISTORY = SCHEMAS.resolve("history");
    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

    private SchemaFiles() {}

    /** Every schemas/*.avsc by file name without extension, parsed with the named types the others define. */
    static Map<String, Schema> current() {
        Map<String, String> sources = new TreeMap<>();
        for (Path file : list(SCHEMAS, "*.avsc")) {
            sources.put(baseName(file), read(file));
        }
        return parseAll(sources, Map.of());
    }

    /** Published versions of {@code name}, by version number, ascending. */
    static Map<Integer, Path> publishedVersions(String name) {
        Map<Integer, Path> versions = new TreeMap<>();
        Path dir = HISTORY.resolve(name);
        if (Files.isDirectory(dir)) {
            for (Path file : list(dir, "v*.avsc")) {
                Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
                if (m.matches()) {
                    versions.put(Integer.parseInt(m.group(1)), file);
                }
            }
        }
        return versions;
    }

    /** Names with a history directory (types ever published). */
    static List<String> publishedNames() {
        try (Stream<Path> dirs = Files.list(HISTORY)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Published version {@code version} of {@code name}, its references resolved as the class comment says. */
    static Schema published(String name, int version) {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(name, read(publishedVersions(name).get(version)));
        try {
            return new Schema.Parser().parse(sources.get(name)); // self-contained
        } catch (AvroRuntimeException undefinedName) { // 1.12: AvroTypeException "Undefined schema"
            for (String other : publishedNames()) {
                if (!other.equals(name)) {
                    publishedVersions(other).entrySet().stream().filter(e -> e.getKey() <= version)
                            .reduce((a, b) -> b).ifPresent(e -> sources.put(other, read(e.getValue())));
                }
            }
            return parseAll(sources, Map.of()).get(name);
        }
    }

    /**
     * Parses named-type sources in whatever order their references allow. Fails naming the sources that could not be
     * parsed, with the parser's reason.
     */
    static Map<String, Schema> parseAll(Map<String, String> sources, Map<String, Schema> known) {
        Map<String, Schema> parsed = new TreeMap<>();
        List<Schema> types = new ArrayList<>(known.values());
        Map<String, String> pending = new TreeMap<>(sources);
        Map<String, String> lastErrors = new TreeMap<>();
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (Map.Entry<String, String> e : List.copyOf(pending.entrySet())) {
                try {
                    Schema schema = new Schema.Parser().addTypes(types).parse(e.getValue());
                    parsed.put(e.getKey(), schema);
                    types.add(schema);
                    pending.remove(e.getKey());
                    progress = true;
                } catch (AvroRuntimeException ex) { // SchemaParseException, or AvroTypeException for an undefined name
                    lastErrors.put(e.getKey(), ex.getMessage());
                }
            }
            if (!progress) {
                lastErrors.keySet().retainAll(pending.keySet());
                throw new IllegalStateException("Cannot parse schemas " + pending.keySet() + ": " + lastErrors);
            }
        }
        return parsed;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir, String glob) {
        List<Path> files = new ArrayList<>();
        try (var stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        return files;
    }

    private static String baseName(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.length() - ".avsc".length());
    }
}
