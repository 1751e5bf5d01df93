package dev.taskwatch.runtime;

import dev.taskwatch.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics of {@link Topics#all()} that do not exist yet (config {@code topics.create}), each with the
 * configured partitions and replication factor. Existing topics are left as they are. Settings that matter for
 * correctness or operations:
 * <ul>
 *   <li>the watch-request topic is compacted: it is the watch set, rebuilt from the latest request per task, and
 *       tombstones release ids; the poller-positions topic is compacted too: the latest position per target;</li>
 *   <li>the snapshot DLQ and the poller's DLQ keep records for {@link Settings#dlqRetention()} (default 90 days),
 *       long enough for someone to look at them after a holiday.</li>
 * </ul>
 * Calls are bounded by {@link Settings#timeout()}: an unreachable cluster gives {@link KafkaUnavailableException},
 * missing rights a {@link TopicAdminException} that says which topic and what to do.
 */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    /**
     * @param partitions partitions of new topics, or -1 for the broker default ({@code num.partitions})
     * @param replicationFactor replication of new topics, or -1 for the broker default
     * @param dlqRetention {@code retention.ms} of the snapshot and notify DLQs
     * @param timeout bound of each admin call
     */
    public record Settings(int partitions, short replicationFactor, Duration dlqRetention, Duration timeout) {

        public static final Duration DEFAULT_DLQ_RETENTION = Duration.ofDays(90);
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

        public Settings {
            if (partitions == 0 || partitions < -1) {
                throw new IllegalArgumentException("topics.partitions must be -1 (broker default) or > 0, not "
                        + partitions);
            }
            if (replicationFactor == 0 || replicationFactor < -1) {
                throw new IllegalArgumentException("topics.replication-factor must be -1 (broker default) or > 0, "
                        + "not " + replicationFactor);
            }
        }

        /** The configuration defaults: 6 partitions, broker-default replication. */
        public static Settings defaults() {
            return new Settings(6, (short) -1, DEFAULT_DLQ_RETENTION, DEFAULT_TIMEOUT);
        }

        public Settings withPartitions(int partitions, short replicationFactor) {
            return new Settings(partitions, replicationFactor, dlqRetention, timeout);
        }
    }

    private final Map<String, Object> adminProperties;
    private final Settings settings;
    private final Function<Map<String, Object>, Admin> adminFactory;

    /** @param kafkaProperties {@code bootstrap.servers} and passthrough client properties (security etc.) */
    public TopicAdmin(Map<String, ?> kafkaProperties, Settings settings) {
        this(kafkaProperties, settings, Admin::create);
    }

    /** @param adminFactory makes the admin client from the properties (tests wrap it to inject failures) */
    TopicAdmin(Map<String, ?> kafkaProperties, Settings settings, Function<Map<String, Object>, Admin> adminFactory) {
        this.adminFactory = adminFactory;
        this.adminProperties = new HashMap<>(kafkaProperties);
        this.settings = settings;
        int timeoutMs = Math.toIntExact(settings.timeout().toMillis());
        adminProperties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        adminProperties.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 15_000));
        adminProperties.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "taskwatch-topic-admin");
    }

    /** The topic-level configs of a new {@code topic}. */
    public Map<String, String> configsOf(Topics topics, String topic) {
        if (topic.equals(topics.watchRequests()) || topic.equals(topics.pollerPositions())) {
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        if (topic.equals(topics.snapshotsDlq()) || topic.equals(topics.pollerDlq())
                || topic.equals(topics.notifyDlq())) {
            return Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.dlqRetention().toMillis()));
        }
        return Map.of();
    }

    /**
     * Creates the missing topics of {@code topics}.
     *
     * @return the names of the topics created (empty when all existed)
     * @throws KafkaUnavailableException when the cluster does not answer within the timeout
     * @throws TopicAdminException when a topic cannot be created, e.g. for lack of the CREATE right
     */
    public List<String> createMissing(Topics topics) {
        String bootstrap = String.valueOf(adminProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = adminFactory.apply(adminProperties)) {
            Set<String> existing = await(admin.listTopics(new ListTopicsOptions()
                    .timeoutMs(timeoutMs())).names(), bootstrap, "list topics");
            List<NewTopic> missing = new ArrayList<>();
            for (String name : topics.all()) {
                if (!existing.contains(name)) {
                    missing.add(newTopic(topics, name));
                }
            }
            if (missing.isEmpty()) {
                log.debug("All {} taskwatch topics exist", topics.all().size());
                return List.of();
            }
            CreateTopicsResult result = admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(timeoutMs()));
            List<String> created = new ArrayList<>();
            for (NewTopic topic : missing) {
                try {
                    await(result.values().get(topic.name()), bootstrap, "create topic " + topic.name());
                    created.add(topic.name());
                } catch (TopicAdminException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        continue; // created concurrently by another instance: fine
                    }
                    if (e.getCause() instanceof TopicAuthorizationException
                            || e.getCause() instanceof ClusterAuthorizationException) {
                        throw new TopicAdminException("No permission to create topic " + topic.name()
                                + " on cluster " + clusterId(admin).orElse(bootstrap)
                                + "; create it beforehand or grant CREATE", e.getCause());
                    }
                    throw e;
                }
            }
            awaitVisible(admin, created, bootstrap);
            log.info("Created topics {}", created);
            return created;
        }
    }

    /**
     * Checks that every topic of {@code topics} exists (config {@code topics.create: false}: the topics are created
     * beforehand by someone with the rights to).
     *
     * @throws KafkaUnavailableException when the cluster does not answer within the timeout
     * @throws TopicAdminException naming the missing topics and {@code topics.create} when any is missing
     */
    public void requireExisting(Topics topics) {
        String bootstrap = String.valueOf(adminProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = adminFactory.apply(adminProperties)) {
            Set<String> existing = await(admin.listTopics(new ListTopicsOptions()
                    .timeoutMs(timeoutMs())).names(), bootstrap, "list topics");
            List<String> missing = topics.all().stream().filter(name -> !existing.contains(name)).toList();
            if (!missing.isEmpty()) {
                throw new TopicAdminException("Missing topic" + (missing.size() == 1 ? " " : "s ")
                        + String.join(", ", missing) + " on Kafka at " + bootstrap + " and topics.create is false:"
                        + " create " + (missing.size() == 1 ? "it" : "them") + " beforehand, or set topics.create to"
                        + " true", null);
            }
            log.debug("All {} taskwatch topics exist", topics.all().size());
        }
    }

    /**
     * Waits until the new topics' metadata has reached the brokers: createTopics returns when the controller has
     * them, and a Streams application started right after would otherwise fail on a "missing" source topic.
     */
    private void awaitVisible(Admin admin, List<String> created, String bootstrap) {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (true) {
            try {
                admin.describeTopics(created).allTopicNames().get(timeoutMs(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new TopicAdminException("Created topics " + created + " on Kafka at " + bootstrap
                            + " but could not describe them: " + e.getCause().getMessage(), e.getCause());
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new KafkaUnavailableException(bootstrap, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicAdminException("Interrupted while waiting for topics " + created, e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicAdminException("Interrupted while waiting for topics " + created, e);
            }
        }
    }

    private NewTopic newTopic(Topics topics, String name) {
        Optional<Integer> partitions = settings.partitions() == -1 ? Optional.empty()
                : Optional.of(settings.partitions());
        Optional<Short> replication = settings.replicationFactor() == -1 ? Optional.empty()
                : Optional.of(settings.replicationFactor());
        return new NewTopic(name, partitions, replication).configs(configsOf(topics, name));
    }

    private Optional<String> clusterId(Admin admin) {
        try {
            return Optional.ofNullable(admin.describeCluster().clusterId().get(timeoutMs(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
    }

    private int timeoutMs() {
        return Math.toIntExact(settings.timeout().toMillis());
    }

    /** Waits a bounded time; a timeout means the cluster did not answer. */
    private <T> T await(KafkaFuture<T> future, String bootstrap, String what) {
        try {
            return future.get(settings.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaUnavailableException(bootstrap, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicAdminException("Interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw new KafkaUnavailableException(bootstrap, cause);
            }
            if (cause instanceof ClusterAuthorizationException || cause instanceof TopicAuthorizationException) {
                throw new TopicAdminException("Not authorized to " + what + " on Kafka at " + bootstrap + ": "
                        + cause.getMessage(), cause);
            }
            throw new TopicAdminException("Could not " + what + " on Kafka at " + bootstrap + ": "
                    + cause.getMessage(), cause);
        }
    }
}
