package dev.taskwatch.devkit.embedded;

import dev.taskwatch.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The layout of the data directory of {@code taskwatch run} in embedded mode, shared with the commands that find a
 * running {@code run} through it ({@code events}, {@code watch}).
 */
public final class EmbeddedDataDir {

    /** The embedded broker's log and metadata. */
    public static final String KAFKA = "kafka";
    /** Kafka Streams state, when {@code transitions.state-dir} is not set. */
    public static final String STREAMS = "streams";
    /** The embedded broker's {@code host:port} while {@code run} runs. */
    public static final String BOOTSTRAP_FILE = "bootstrap-servers";
    /** The in-process registry's journal (schema ids survive restarts). */
    public static final String SCHEMA_JOURNAL = "schemas.jsonl";

    /** When the built-in simulator's schedule began: a restarted {@code run} resumes the same schedule. */
    public static final String SIMULATOR_EPOCH = "simulator-epoch";
    /** The built-in simulator's port: a restarted {@code run} serves its targets at the same endpoints. */
    public static final String SIMULATOR_PORT = "simulator-port";

    /** What a taskwatch data directory may contain (what {@code run --fresh} agrees to delete). */
    public static final Set<String> ENTRIES = Set.of(KAFKA, STREAMS, BOOTSTRAP_FILE, SCHEMA_JOURNAL, SIMULATOR_EPOCH,
            SIMULATOR_PORT);

    private EmbeddedDataDir() {}

    /** The embedded broker address written by a running {@code run} on {@code dataDir}, if any. */
    public static Optional<String> bootstrapServers(Path dataDir) {
        Path file = dataDir.resolve(BOOTSTRAP_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String embedded = Files.readString(file, StandardCharsets.UTF_8).strip();
            return embedded.isEmpty() ? Optional.empty() : Optional.of(embedded);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /**
     * The serde configuration of the in-process registry of a {@code run} on {@code dataDir}: its journal replayed
     * (every schema {@code run} writes was registered at its start, so this process finds them all and appends
     * nothing), or empty when there is no journal.
     */
    public static Optional<Map<String, Object>> serdeConfig(Path dataDir) {
        Path journal = dataDir.resolve(SCHEMA_JOURNAL);
        if (!Files.isRegularFile(journal)) {
            return Optional.empty();
        }
        InProcessSchemaRegistry registry = InProcessSchemaRegistry.persistent(journal.toAbsolutePath().normalize());
        return Optional.of(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, registry));
    }
}
