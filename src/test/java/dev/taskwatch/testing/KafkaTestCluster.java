package dev.taskwatch.testing;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.BrokerState;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A multi-broker in-process KRaft cluster for fault tests: {@code n} brokers and one separate controller (so stopping
 * brokers never touches the metadata quorum), replication factor 3 and {@code min.insync.replicas} 2 by default for
 * every topic, internal ones included. Any broker can be stopped cleanly or hard and restarted on the same port, and
 * all brokers can be stopped together.
 *
 * <p>Clean and hard stops differ the way they differ for a real broker: a clean stop first asks the controller for a
 * controlled shutdown (leaders move away before the broker goes), a hard stop does not, so the controller notices
 * only when the broker's session expires and clients meet a dead leader until then. To get both from one broker the
 * cluster runs with {@code controlled.shutdown.enable=false} and a clean stop performs the controlled-shutdown steps
 * of {@code BrokerServer.shutdown} itself before stopping. A hard stop still closes the broker's logs (the process
 * does not die), so what it does not reproduce of a {@code kill -9} is the log recovery at restart.
 */
public final class KafkaTestCluster implements AutoCloseable {

    /** How long the controller waits for a silent broker before fencing it (Kafka's default is 9 s). */
    public static final Duration BROKER_SESSION = Duration.ofSeconds(3);
    private static final Duration CONTROLLED_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final Map<String, String> SETTINGS = Map.ofEntries(
            Map.entry("default.replication.factor", "3"),
            Map.entry("min.insync.replicas", "2"),
            Map.entry("offsets.topic.replication.factor", "3"),
            Map.entry("transaction.state.log.replication.factor", "3"),
            Map.entry("transaction.state.log.min.isr", "2"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("unclean.leader.election.enable", "false"),
            Map.entry("controlled.shutdown.enable", "false"),
            Map.entry("broker.session.timeout.ms", String.valueOf(BROKER_SESSION.toMillis())),
            Map.entry("broker.heartbeat.interval.ms", "500"));

    private final KafkaClusterTestKit kit;

    private KafkaTestCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    /** Starts {@code brokers} brokers (ids 0 .. brokers-1) and one controller; returns when all are ready. */
    public static KafkaTestCluster start(int brokers) {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(false)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setBaseDirectory(Files.createTempDirectory("taskwatch-cluster-"))
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            SETTINGS.forEach(builder::setConfigProp);
            KafkaClusterTestKit kit = builder.build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new KafkaTestCluster(kit);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Cannot start a " + brokers + "-broker test cluster: " + e, e);
        }
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    public List<Integer> brokerIds() {
        return new ArrayList<>(kit.brokers().keySet());
    }

    /** Controlled shutdown (leaders moved away first), then the broker stops. */
    public void stopCleanly(int id) throws InterruptedException {
        BrokerServer broker = broker(id);
        broker.replicaManager().beginControlledShutdown();
        broker.lifecycleManager().beginControlledShutdown();
        try {
            broker.lifecycleManager().controlledShutdownFuture().get(CONTROLLED_SHUTDOWN_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Broker " + id + ": the controller did not grant the controlled shutdown "
                    + "within " + CONTROLLED_SHUTDOWN_TIMEOUT + ": " + e, e);
        }
        stop(broker);
    }

    /** The broker stops without telling the controller: its partitions keep a dead leader until its session ends. */
    public void stopHard(int id) {
        stop(broker(id));
    }

    /** Restarts a stopped broker on its former port and waits until the controller has unfenced it. */
    public void restart(int id) throws InterruptedException {
        BrokerServer broker = broker(id);
        broker.startup();
        awaitRunning(broker);
    }

    /** Stops every broker at once (no controlled shutdown: with all brokers going there is nowhere to move to). */
    public void stopAllBrokers() {
        kit.brokers().values().parallelStream().forEach(KafkaTestCluster::stop);
    }

    /** Restarts every broker and waits until all are running again. */
    public void restartAllBrokers() throws InterruptedException {
        kit.brokers().values().parallelStream().forEach(BrokerServer::startup);
        for (BrokerServer broker : kit.brokers().values()) {
            awaitRunning(broker);
        }
    }

    /**
     * Waits until every partition of every topic has all its replicas in sync again, so that the next fault starts
     * from a healthy cluster (a broker stopped while another one still catches up would leave partitions below
     * {@code min.insync.replicas}).
     */
    public void awaitFullyReplicated() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Admin admin = kit.admin()) {
            while (true) {
                String lagging;
                try {
                    lagging = admin.describeTopics(admin.listTopics(new ListTopicsOptions().listInternal(true))
                                    .names().get(10, TimeUnit.SECONDS)).allTopicNames().get(10, TimeUnit.SECONDS)
                            .values().stream().flatMap(t -> t.partitions().stream()
                                    .filter(p -> p.isr().size() < p.replicas().size())
                                    .map(p -> t.name() + "-" + p.partition()))
                            .findFirst().orElse(null);
                } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                    lagging = "(metadata unavailable: " + e.getCause() + ")";
                }
                if (lagging == null) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Partition " + lagging + " not fully replicated within " + WAIT);
                }
                Thread.sleep(200);
            }
        }
    }

    private static void stop(BrokerServer broker) {
        broker.shutdown();
        broker.awaitShutdown();
    }

    private static void awaitRunning(BrokerServer broker) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (broker.brokerState() != BrokerState.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Broker " + broker.config().nodeId() + " not RUNNING within " + WAIT
                        + " of its restart: " + broker.brokerState());
            }
            Thread.sleep(50);
        }
    }

    private BrokerServer broker(int id) {
        BrokerServer broker = kit.brokers().get(id);
        if (broker == null) {
            throw new IllegalArgumentException("No broker " + id + " in " + kit.brokers().keySet());
        }
        return broker;
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException("Test cluster did not stop cleanly: " + e, e);
        }
    }
}
