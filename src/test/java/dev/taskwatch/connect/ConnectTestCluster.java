package dev.taskwatch.connect;

import dev.taskwatch.model.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * Kafka Connect in-process for integration tests: Kafka's own {@link EmbeddedConnectCluster} (connect-runtime test
 * jar), whose broker is the same KRaft test kit ({@code KafkaClusterTestKit}) as taskwatch's embedded broker, with the
 * settings a one-broker cluster needs. Connectors, converters and config providers are found on the test classpath
 * (no {@code plugin.path}), as a worker with the plugin archive unpacked would find them.
 */
final class ConnectTestCluster {

    private ConnectTestCluster() {}

    /** Starts {@code workers} distributed workers over one broker; {@code workerProps} override the defaults. */
    static EmbeddedConnectCluster start(String name, int workers, Map<String, String> workerProps) {
        return start(name, workers, 1, workerProps);
    }

    /**
     * Starts {@code workers} distributed workers over {@code brokers} brokers; {@code workerProps} override the
     * defaults. Over several brokers the cluster's own topics (offsets, transactions) have one replica per broker and
     * every write needs two replicas in sync ({@code min.insync.replicas}), as on a production cluster of three; the
     * workers' internal topics get one replica per broker from the embedded cluster itself, the tests' topics the
     * replicas they ask for.
     */
    static EmbeddedConnectCluster start(String name, int workers, int brokers, Map<String, String> workerProps) {
        Properties broker = new Properties();
        String replicas = String.valueOf(brokers);
        String inSync = String.valueOf(Math.min(brokers, 2));
        // Every internal topic would otherwise ask for three replicas; transactions (exactly-once Streams, the Iceberg
        // sink's commits, exactly-once source) need the transaction log on the brokers there are.
        broker.put("offsets.topic.replication.factor", replicas);
        broker.put("offsets.topic.num.partitions", "1");
        broker.put("transaction.state.log.replication.factor", replicas);
        broker.put("transaction.state.log.min.isr", inSync);
        broker.put("transaction.state.log.num.partitions", "1");
        broker.put("min.insync.replicas", inSync);
        broker.put("group.initial.rebalance.delay.ms", "0");
        broker.put("auto.create.topics.enable", "false");
        EmbeddedConnectCluster cluster = new EmbeddedConnectCluster.Builder()
                .name(name)
                .numWorkers(workers)
                .numBrokers(brokers)
                .brokerProps(broker)
                .workerProps(workerProps(workerProps))
                .build();
        cluster.start();
        return cluster;
    }

    /** The worker settings of these tests, {@code overrides} on top (also what a worker in a child JVM gets). */
    static Map<String, String> workerProps(Map<String, String> overrides) {
        Map<String, String> worker = new HashMap<>();
        // Offsets reach the offsets topic within a second, so a worker bounce in a test loses little.
        worker.put("offset.flush.interval.ms", "1000");
        // A stopped worker's tasks move within seconds instead of the default five minutes.
        worker.put("scheduled.rebalance.max.delay.ms", "2000");
        // Plugins are found by their ServiceLoader manifests only: no reflective scan of the whole test classpath
        // (minutes on a busy machine), and a plugin without a manifest fails here as it would on a modern worker.
        worker.put("plugin.discovery", "service_load");
        worker.putAll(overrides);
        return worker;
    }

    /** taskwatch's topics on the cluster with {@code replicas} replicas: six snapshot partitions, one elsewhere. */
    static void createTopics(EmbeddedConnectCluster cluster, Topics topics, int replicas) {
        for (String topic : topics.all()) {
            cluster.kafka().createTopic(topic, topic.equals(topics.snapshots()) ? 6 : 1, replicas, Map.of());
        }
    }

    /**
     * What every taskwatch connector of these tests is configured with: the class, {@code tasks.max}, byte-array
     * converters (records are already in the Confluent wire format), the topics' prefix, the registry and the broker
     * for watch requests; the caller adds credentials and targets.
     */
    static Map<String, String> connectorConfig(Topics topics, String registryUrl, String bootstrap, int tasksMax) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", TaskwatchSourceConnector.class.getName());
        config.put("tasks.max", String.valueOf(tasksMax));
        config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("topics.prefix", topics.prefix());
        config.put("schema-registry.url", registryUrl);
        config.put("kafka.bootstrap-servers", bootstrap);
        return config;
    }
}
