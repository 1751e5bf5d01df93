package dev.taskwatch.devkit.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The port of the built-in simulator, kept in the data directory so that a restarted {@code run} serves its targets at
 * the same endpoints. The poller stores its position per target together with the target's endpoint and ignores a
 * position written for another endpoint; with a new port at every start, every restart of {@code run} read each
 * target's history again (up to a day of simulated tasks) instead of resuming where it stopped.
 */
final class SimulatorPort {

    private SimulatorPort() {}

    /** The port kept in {@code file}; 0 (any free port) when there is none or it cannot be read. */
    static int read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return 0;
            }
            int port = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).strip());
            return port > 0 && port <= 65_535 ? port : 0;
        } catch (IOException | NumberFormatException e) {
            return 0; // written by a process killed mid-write, or edited: any port will do, as on a first start
        }
    }

    /** Keeps {@code port} in {@code file}, replacing it whole (a kill never leaves half a number). */
    static void write(Path file, int port) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, port + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the simulator's port in " + file + ": " + e.getMessage(), e);
        }
    }
}
