package dev.taskwatch.poller;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The cheap check behind {@link PublishPause}: one metadata request for the snapshot topic, no record sent and no
 * task-center request made; true when a broker answers and every partition of the topic has a leader. Its admin
 * client is made at the first check, which comes only after Kafka was found unreachable, so a healthy run never opens
 * one.
 */
final class SnapshotTopicProbe implements BooleanSupplier, AutoCloseable {

    /** A check waits at most this long: the lanes wait for it, and a down cluster never answers anyway. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Map<String, Object> clientProperties;
    private final String topic;
    private Admin admin;

    /** @param clientProperties bootstrap servers and passthrough properties (security etc.) of the producer */
    SnapshotTopicProbe(Map<String, Object> clientProperties, String topic) {
        this.clientProperties = new HashMap<>(clientProperties);
        this.topic = topic;
    }

    @Override
    public synchronized boolean getAsBoolean() {
        if (admin == null) {
            admin = Admin.create(adminConfig(clientProperties));
        }
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return description != null && description.partitions().stream().allMatch(SnapshotTopicProbe::hasLeader);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean hasLeader(TopicPartitionInfo partition) {
        return partition.leader() != null && !partition.leader().isEmpty();
    }

    static Map<String, Object> adminConfig(Map<String, Object> clientProperties) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "taskwatch-poller-probe");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return config;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
