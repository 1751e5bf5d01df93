package dev.taskwatch.connect;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/**
 * Stops and restarts single brokers of an in-process cluster, as a rolling upgrade (clean) or a crash (hard) would.
 * A restarted broker listens on its former port again (the test kit keeps each node's port), so clients that knew it
 * find it back.
 *
 * <ul>
 *   <li>Clean: the broker asks the controller for a controlled shutdown first, which moves its partition leaderships
 *       to the other replicas before it closes its sockets.</li>
 *   <li>Hard: the broker stops heart-beating to the controller and closes without asking, so its leaderships stay
 *       with it until the controller fences it ({@code broker.session.timeout.ms}, 9 s by default), as after a
 *       {@code kill -9} or a lost node. Its logs are closed cleanly all the same: an in-process broker cannot lose
 *       its page cache.</li>
 * </ul>
 */
final class BrokerBounces {

    private final EmbeddedKafkaCluster kafka;
    private final List<BrokerServer> brokers;

    /** The brokers of {@code kafka}, all running now, in node id order. */
    BrokerBounces(EmbeddedKafkaCluster kafka) {
        this.kafka = kafka;
        this.brokers = new ArrayList<>(kafka.runningBrokers());
        this.brokers.sort(Comparator.comparingInt(b -> b.config().nodeId()));
    }

    int count() {
        return brokers.size();
    }

    void stopCleanly(int broker) {
        BrokerServer server = brokers.get(broker);
        server.shutdown();
        server.awaitShutdown();
    }

    void stopHard(int broker) {
        BrokerServer server = brokers.get(broker);
        // Without heartbeats and without a controlled-shutdown request the controller learns of the stop only when
        // the broker's session expires; the shutdown's own request goes to the closed event queue and is dropped.
        server.lifecycleManager().beginShutdown();
        server.shutdown(Duration.ZERO);
        server.awaitShutdown();
    }

    /** Starts {@code broker} again; returns once it has caught up with the metadata and is unfenced. */
    void start(int broker) {
        brokers.get(broker).startup();
    }

    /**
     * Waits until every broker runs and every partition of every topic, internal ones included, has all its
     * replicas in sync again: what a rolling restart waits for before it takes the next broker down.
     */
    void awaitFullyReplicated(Duration atMost) {
        try (Admin admin = kafka.createAdminClient()) {
            await("all brokers running, every partition fully in sync").atMost(atMost)
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                        if (kafka.runningBrokers().size() != brokers.size()) {
                            return false;
                        }
                        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                                .get();
                        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
                            if (topic.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty()
                                    || p.isr().size() < p.replicas().size())) {
                                return false;
                            }
                        }
                        return true;
                    });
        }
    }
}
