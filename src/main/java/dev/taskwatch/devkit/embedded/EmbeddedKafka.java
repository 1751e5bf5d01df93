package dev.taskwatch.devkit.embedded;

import dev.taskwatch.runtime.JvmUptime;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) inside this JVM, listening on a free
 * loopback port. Used by {@code taskwatch run} when no Kafka is configured, and by the integration tests.
 *
 * <p>It wraps Kafka's own KRaft test kit ({@code kafka-test-common-runtime}), so a Kafka upgrade touches only this file.
 * Internal topics use replication factor 1 and transactions work, so exactly-once Kafka Streams runs against it. With
 * a data directory the log survives a restart (the cluster id is kept beside it); the port may differ each time, which
 * clients do not mind since they bootstrap from {@link #bootstrapServers()}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CLUSTER_ID_FILE = "cluster.id";
    /** The broker is unauthenticated: nobody else on the network may reach it. */
    private static final String LOOPBACK = "127.0.0.1";

    /** Broker settings a one-node cluster needs: every internal topic would otherwise ask for three replicas. */
    private static final Map<String, String> SINGLE_NODE_SETTINGS = Map.ofEntries(
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            // Streams apps and consumers start at once instead of waiting 3 s for more members.
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("num.partitions", "1"),
            // After a kill -9 the restarted controller gives the dead broker's registration (read back from the
            // metadata log) a fresh session when it becomes active, and refuses the new incarnation until that
            // session expires ("Another broker is registered with that broker id"); the broker retries once per
            // heartbeat interval. So a restart after kill -9 waits one session plus up to one heartbeat: 10.5 s with
            // Kafka's defaults (9 s, 2 s), 3.4 s with 3 s and 1 s, 1.75 s with these. Broker and controller share
            // this JVM and talk over loopback, so a 1.5 s session still rides out six lost heartbeats (a full GC of
            // the small heap of `run` takes a fraction of that); after a longer stall the broker is only fenced until
            // its next heartbeat, and no data is at stake (one replica, no unclean election).
            Map.entry("broker.session.timeout.ms", "1500"),
            Map.entry("broker.heartbeat.interval.ms", "250"));

    private final KafkaClusterTestKit cluster;
    private final Path dataDir;
    private final boolean persistent;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Path dataDir, boolean persistent) {
        this.cluster = cluster;
        this.dataDir = dataDir;
        this.persistent = persistent;
    }

    /** Starts a broker whose data is deleted when it stops. */
    public static EmbeddedKafka start() {
        try {
            return start(Files.createTempDirectory("taskwatch-kafka-"), false);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create a temporary directory for the embedded Kafka broker", e);
        }
    }

    /** Starts a broker keeping its data in {@code dataDir}, resuming what an earlier run left there. */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, true);
    }

    private static EmbeddedKafka start(Path dataDir, boolean persistent) {
        long startedAt = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            String clusterId = clusterId(dataDir);
            boolean formatted = Files.exists(dataDir.resolve(CLUSTER_ID_FILE + ".formatted"));
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setClusterId(clusterId)
                    // The test kit defaults to the newest *testing* metadata version; a broker that keeps user data
                    // across upgrades must use a production one.
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setBaseDirectory(dataDir)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(!persistent);
            SINGLE_NODE_SETTINGS.forEach(builder::setConfigProp);
            builder.setConfigProp("listeners", nodes.brokerListenerName().value() + "://" + LOOPBACK + ":0,"
                    + nodes.controllerListenerName().value() + "://" + LOOPBACK + ":0");
            KafkaClusterTestKit cluster = builder.build();
            LoopbackListeners.rebind(cluster);
            if (!formatted) {
                formatQuietly(cluster, dataDir);
                if (persistent) {
                    Files.writeString(dataDir.resolve(CLUSTER_ID_FILE + ".formatted"), clusterId);
                }
            }
            cluster.startup();
            cluster.waitForReadyBrokers();
            EmbeddedKafka kafka = new EmbeddedKafka(cluster, dataDir, persistent);
            log.info("Embedded Kafka ready at {} in {} ms, {} ms after the JVM started (data in {})",
                    kafka.bootstrapServers(), (System.nanoTime() - startedAt) / 1_000_000, JvmUptime.millis(),
                    persistent ? dataDir : "a temporary directory");
            return kafka;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Cannot start the embedded Kafka broker in " + dataDir + ": " + e, e);
        }
    }

    /**
     * Formats the storage directories. Kafka's formatter prints its progress ({@code Formatting metadata directory},
     * the whole bootstrap metadata) to {@code System.out}, which taskwatch reserves for events; for this one call
     * stdout goes to the broker's log file, with the rest of the broker's own log.
     */
    private static synchronized void formatQuietly(KafkaClusterTestKit cluster, Path dataDir) throws Exception {
        PrintStream stdout = System.out;
        try (PrintStream brokerLog = new PrintStream(new FileOutputStream(dataDir.resolve(BrokerLog.FILE).toFile(),
                true), true, StandardCharsets.UTF_8)) {
            System.setOut(brokerLog);
            cluster.format();
        } finally {
            System.setOut(stdout);
        }
    }

    private static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve(CLUSTER_ID_FILE);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id, StandardCharsets.UTF_8);
        return id;
    }

    /** {@code host:port} for the {@code bootstrap.servers} of clients. */
    public String bootstrapServers() {
        // the kit names "localhost"; the listener is bound to 127.0.0.1 only, which "localhost" need not resolve to
        return cluster.bootstrapServers().replace("localhost:", LOOPBACK + ":");
    }

    /** {@code host:port} of the controller listener (tests check where it listens). */
    String controllerAddress() {
        return cluster.bootstrapControllers().replace("localhost:", LOOPBACK + ":");
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean persistent() {
        return persistent;
    }

    /** Stops the broker cleanly (controlled shutdown, logs flushed). */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Embedded Kafka broker did not stop cleanly: " + e, e);
        }
    }
}
