package dev.taskwatch.devkit.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
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
    private final Path brokerLog;
    private final PrintStream err;
    private final IntConsumer halt;

    /** @param brokerLog the file holding the broker's log (and Kafka's stack trace), or null when it is stderr */
    BrokerHalt(Path dataDir, Path brokerLog, PrintStream err, IntConsumer halt) {
        this.dataDir = dataDir;
        this.brokerLog = brokerLog;
        this.err = err;
        this.halt = halt;
    }

    /**
     * Installs the procedure for the broker of {@code run} on {@code dataDir}: the JVM is halted after the line. The
     * broker's own log (with the stack trace Kafka logs before halting) goes to {@link BrokerLog#FILE} in
     * {@code dataDir}, so that stderr shows the one line.
     */
    static void install(Path dataDir) {
        Path log = dataDir.resolve(BrokerLog.FILE);
        boolean redirected;
        try {
            Files.createDirectories(dataDir);
            redirected = BrokerLog.redirect(log);
        } catch (IOException e) {
            redirected = false; // the broker's start will name the unusable directory
        }
        BrokerHalt procedure = new BrokerHalt(dataDir, redirected ? log : null, System.err,
                status -> Runtime.getRuntime().halt(status));
        Exit.setHaltProcedure(procedure);
        Exit.setExitProcedure(procedure);
    }

    @Override
    public void execute(int statusCode, String message) {
        err.println("taskwatch: the embedded Kafka broker stopped the process (exit " + statusCode + "): it cannot "
                + "use its data in " + dataDir.toAbsolutePath().normalize() + " (full disk or unwritable directory?)"
                + (message == null || message.isBlank() ? "" : "; Kafka said: " + message.strip().lines().findFirst()
                .orElse(""))
                + (brokerLog == null ? "" : " (details in " + brokerLog.toAbsolutePath().normalize() + ")"));
        err.flush();
        halt.accept(statusCode);
    }
}
