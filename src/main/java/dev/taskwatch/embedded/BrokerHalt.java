package dev.taskwatch.embedded;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import org.apache.kafka.common.utils.Exit;

/**
 * What {@code taskwatch run} says when its embedded broker ends the process. Kafka halts the JVM itself when its log
 * or metadata directory fails (a full disk, most often); left alone, the last thing a user sees is Kafka's stack
 * trace. This procedure, installed as Kafka's halt and exit procedure, adds one taskwatch line naming the data
 * directory before the JVM goes.
 */
final class BrokerHalt implements Exit.Procedure {

    private final Path dataDir;
    private final PrintStream err;
    private final IntConsumer halt;

    BrokerHalt(Path dataDir, PrintStream err, IntConsumer halt) {
        this.dataDir = dataDir;
        this.err = err;
        this.halt = halt;
    }

    /** Installs the procedure for the broker of {@code run} on {@code dataDir}: the JVM is halted after the line. */
    static void install(Path dataDir) {
        BrokerHalt procedure = new BrokerHalt(dataDir, System.err, status -> Runtime.getRuntime().halt(status));
        Exit.setHaltProcedure(procedure);
        Exit.setExitProcedure(procedure);
    }

    @Override
    public void execute(int statusCode, String message) {
        err.println("taskwatch: the embedded Kafka broker stopped the process (exit " + statusCode + "): it cannot "
                + "use its data in " + dataDir.toAbsolutePath().normalize() + " (full disk or unwritable directory?)"
                + (message == null || message.isBlank() ? "" : "; Kafka said: " + message.strip().lines().findFirst()
                .orElse("")));
        err.flush();
        halt.accept(statusCode);
    }
}
