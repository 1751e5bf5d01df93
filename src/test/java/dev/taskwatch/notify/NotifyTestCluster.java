package dev.taskwatch.notify;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.metadata.BrokerState;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Three in-process brokers and one KRaft controller (Kafka's own test kit), laid out as production clusters are:
 * replication factor 3 and {@code min.insync.replicas} 2 for every topic, internal ones included. A broker can be
 * stopped (a controlled shutdown: its leaderships move first) and started again on the same port, one at a time or
 * all together; the controller stays up, as a rolling restart of the brokers leaves the quorum alone.
 */
final class NotifyTestCluster implements AutoCloseable {

    static final int BROKERS = 3;

    private static final Map<String, String> SETTINGS = Map.ofEntries(
            Map.entry("default.replication.factor", "3"),
            Map.entry("min.insync.replicas", "2"),
            Map.entry("offsets.topic.replication.factor", "3"),
            // a few partitions instead of 50 for the internal topics: created in seconds on a busy machine
            Map.entry("offsets.topic.num.partitions", "3"),
            Map.entry("transaction.state.log.replication.factor", "3"),
            Map.entry("transaction.state.log.min.isr", "2"),
            Map.entry("transaction.state.log.num.partitions", "3"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("auto.create.topics.enable", "false"));

    private final KafkaClusterTestKit kit;

    private NotifyTestCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    static NotifyTestCluster start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(false)
                .setNumBrokerNodes(BROKERS)
                .setNumControllerNodes(1)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setBaseDirectory(Files.createTempDirectory("taskwatch-notify-cluster-"))
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
        SETTINGS.forEach(builder::setConfigProp);
        KafkaClusterTestKit kit = builder.build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return new NotifyTestCluster(kit);
    }

    String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** Stops broker {@code id} (0-based) with a controlled shutdown and waits until it is down. */
    void stopBroker(int id) {
        BrokerServer broker = broker(id);
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts broker {@code id} again, on its old port, and waits until it runs (registered and unfenced). */
    void startBroker(int id) {
        BrokerServer broker = broker(id);
        broker.startup();
        await().atMost(Duration.ofSeconds(60)).until(() -> broker.brokerState() == BrokerState.RUNNING);
    }

    /**
     * Waits until every replica of every partition is in sync again, as a rolling restart waits for no
     * under-replicated partitions before it stops the next broker.
     */
    void awaitFullyReplicated() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
                return admin.describeTopics(names).allTopicNames().get().values().stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.isr().size() == p.replicas().size());
            });
        }
    }

    private BrokerServer broker(int id) {
        BrokerServer broker = kit.brokers().get(id);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + id + " in " + kit.brokers().keySet());
        }
        return broker;
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
