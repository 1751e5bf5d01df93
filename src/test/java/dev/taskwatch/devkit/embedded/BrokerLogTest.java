package dev.taskwatch.devkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class BrokerLogTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreLogging() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (String name : BrokerLog.BROKER_LOGGERS) {
            ch.qos.logback.classic.Logger logger = context.getLogger(name);
            logger.detachAppender("taskwatch-embedded-broker");
            logger.setAdditive(true);
        }
    }

    @Test
    void shouldKeepTheBrokersStackTraceOffStderrAndInItsLogFile() throws IOException {
        Path file = dir.resolve(BrokerLog.FILE);
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(BrokerLog.redirect(file)).isTrue();
            // what Kafka logs before it halts the JVM on a full disk (data dir, then metadata dir)
            LoggerFactory.getLogger("org.apache.kafka.storage.internals.log.LogDirFailureChannel")
                    .error("Error while appending records to taskwatch.task-snapshots-0", new IOException(
                            "No space left on device"));
            LoggerFactory.getLogger("org.apache.kafka.server.fault.ProcessTerminatingFaultHandler")
                    .error("Encountered fatal fault: Error writing metadata", new IOException(
                            "No space left on device"));
            LoggerFactory.getLogger("kafka.server.ReplicaManager").error("Shutdown broker because all log dirs "
                    + "have failed");
            // taskwatch's own Kafka clients still log to stderr
            LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").warn("client warning stays visible");
        } finally {
            System.setErr(original);
        }

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("client warning stays visible")
                .doesNotContain("No space left on device").doesNotContain("Shutdown broker")
                .doesNotContain("\tat ");
        assertThat(Files.readString(file)).contains("Error while appending records", "Encountered fatal fault",
                "Shutdown broker because all log dirs have failed", "java.io.IOException: No space left on device",
                "\tat ");
    }
}
