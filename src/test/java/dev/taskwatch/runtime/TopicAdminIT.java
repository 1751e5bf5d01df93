package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.model.Topics;
import dev.taskwatch.testing.KafkaTestBroker;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Collection;
import java.util.HashMap;
import java.util.Set;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicAdminIT {

    private static KafkaTestBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private Map<String, Object> props() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    }

    @Test
    void shouldCreateEveryTopicWithItsPartitionsAndConfigs() throws Exception {
        Topics topics = new Topics("create-test.");
        TopicAdmin admin = new TopicAdmin(props(), TopicAdmin.Settings.defaults().withPartitions(3, (short) 1));

        assertThat(admin.createMissing(topics)).containsExactlyInAnyOrderElementsOf(topics.all());

        try (Admin client = Admin.create(props())) {
            Map<String, TopicDescription> described = client.describeTopics(topics.all()).allTopicNames().get();
            assertThat(described.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(3));
            Map<ConfigResource, Config> configs = client.describeConfigs(Set.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, topics.watchRequests()),
                    new ConfigResource(ConfigResource.Type.TOPIC, topics.snapshotsDlq()),
                    new ConfigResource(ConfigResource.Type.TOPIC, topics.events()))).all().get();
            assertThat(value(configs, topics.watchRequests(), TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("compact");
            assertThat(value(configs, topics.snapshotsDlq(), TopicConfig.RETENTION_MS_CONFIG))
                    .isEqualTo(Long.toString(Duration.ofDays(90).toMillis()));
            assertThat(value(configs, topics.events(), TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("delete");
        }
    }

    @Test
    void shouldCreateOnlyWhatIsMissingAndNothingTheSecondTime() throws Exception {
        Topics topics = new Topics("idempotent-test.");
        try (Admin client = Admin.create(props())) {
            client.createTopics(java.util.List.of(new NewTopic(topics.events(), 1,
                    (short) 1))).all().get();
        }
        TopicAdmin admin = new TopicAdmin(props(), TopicAdmin.Settings.defaults());

        assertThat(admin.createMissing(topics)).hasSize(topics.all().size() - 1).doesNotContain(topics.events());
        assertThat(admin.createMissing(topics)).isEmpty();
    }

    @Test
    void shouldNameTheMissingTopicsAndTopicsCreateWhenRequiredToExist() throws Exception {
        Topics topics = new Topics("require-test.");
        TopicAdmin admin = new TopicAdmin(props(), TopicAdmin.Settings.defaults().withPartitions(1, (short) 1));
        try (Admin client = Admin.create(props())) {
            java.util.List<String> present = topics.all().stream()
                    .filter(t -> !t.equals(topics.watchRequests()) && !t.equals(topics.snapshotsDlq())).toList();
            client.createTopics(present.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
            awaitListed(client, present); // created topics reach the broker's metadata a moment later
        }

        assertThatThrownBy(() -> admin.requireExisting(topics))
                .isInstanceOf(TopicAdminException.class)
                .hasMessageStartingWith("Missing topics " + topics.snapshotsDlq() + ", " + topics.watchRequests()
                        + " on Kafka at " + kafka.bootstrapServers() + " and topics.create is false");
        admin.createMissing(topics);
        admin.requireExisting(topics); // all there again: no exception
    }

    @Test
    void shouldUseTheBrokerDefaultsForMinusOne() throws Exception {
        Topics topics = new Topics("broker-default-test.");
        TopicAdmin admin = new TopicAdmin(props(), TopicAdmin.Settings.defaults().withPartitions(-1, (short) -1));

        admin.createMissing(topics);

        try (Admin client = Admin.create(props())) {
            TopicDescription events = client.describeTopics(Set.of(topics.events())).allTopicNames().get()
                    .get(topics.events());
            assertThat(events.partitions()).isNotEmpty();
        }
    }

    @Test
    void shouldFailClearlyWhenKafkaCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + closedPort;
        TopicAdmin admin = new TopicAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new TopicAdmin.Settings(6, (short) -1, Duration.ofDays(90), Duration.ofSeconds(2)));

        assertThatThrownBy(() -> admin.createMissing(Topics.defaults()))
                .isInstanceOf(KafkaUnavailableException.class)
                .hasMessage("Couldn't connect to Kafka at " + bootstrap + ".");
    }

    @Test
    void shouldNameTheTopicAndTheClusterWhenNotAllowedToCreate() throws Exception {
        Topics topics = new Topics("denied-test.");
        String clusterId;
        try (Admin client = Admin.create(props())) {
            clusterId = client.describeCluster().clusterId().get();
        }
        TopicAdmin admin = new TopicAdmin(props(), TopicAdmin.Settings.defaults(), p -> new ForwardingAdmin(p) {
            @Override
            public CreateTopicsResult createTopics(Collection<NewTopic> newTopics, CreateTopicsOptions options) {
                Map<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>> denied = new HashMap<>();
                for (NewTopic t : newTopics) {
                    KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> f = new KafkaFutureImpl<>();
                    f.completeExceptionally(new TopicAuthorizationException(Set.of(t.name())));
                    denied.put(t.name(), f);
                }
                return new CreateTopicsResult(denied) {};
            }
        });

        assertThatThrownBy(() -> admin.createMissing(topics))
                .isInstanceOf(TopicAdminException.class)
                .hasMessage("No permission to create topic denied-test.task-snapshots on cluster " + clusterId
                        + "; create it beforehand or grant CREATE");
    }

    private static void awaitListed(Admin client, java.util.Collection<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!client.listTopics().names().get().containsAll(expected)) {
            assertThat(System.nanoTime()).as(expected + " listed within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String value(Map<ConfigResource, Config> configs, String topic, String key) {
        return configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic)).get(key).value();
    }
}
