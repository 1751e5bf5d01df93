package dev.taskwatch.devkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BrokerHaltTest {

    @Test
    void shouldSayInOneLineWhichDataDirTheBrokerCouldNotUseBeforeHalting() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger haltedWith = new AtomicInteger(-1);
        BrokerHalt halt = new BrokerHalt(Path.of("/data/.taskwatch/kafka"), null,
                new PrintStream(err, true, StandardCharsets.UTF_8), haltedWith::set);

        // What Kafka passes when the last log dir fails (ReplicaManager) on a full disk.
        halt.execute(1, "Shutdown broker because all log dirs in /data/.taskwatch/kafka/broker_0_data0 have failed\n"
                + "\tat kafka.server.ReplicaManager...");

        assertThat(haltedWith.get()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement().asString()
                .startsWith("taskwatch: the embedded Kafka broker stopped the process (exit 1): it cannot use its "
                        + "data in /data/.taskwatch/kafka (full disk or unwritable directory?)")
                .endsWith("Kafka said: Shutdown broker because all log dirs in /data/.taskwatch/kafka/broker_0_data0 "
                        + "have failed");
    }

    @Test
    void shouldNameTheFileWithKafkasDetailsWhenTheBrokerLogGoesThere() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BrokerHalt halt = new BrokerHalt(Path.of("/data/.taskwatch/kafka"), Path.of("/data/.taskwatch/kafka/broker.log"),
                new PrintStream(err, true, StandardCharsets.UTF_8), status -> { });

        halt.execute(1, "Shutdown broker because all log dirs in /data/.taskwatch/kafka/broker_0_data0 have failed");

        assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement().asString()
                .endsWith("(details in /data/.taskwatch/kafka/broker.log)");
    }
}
