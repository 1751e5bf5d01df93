package dev.taskwatch.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.testing.KafkaTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * The check that resumes a paused poller ({@link PublishPause}) against real brokers: true while the snapshot topic
 * has its leaders, false (within its timeout, not hanging) while every broker is down, true again once they are
 * back.
 */
class SnapshotTopicProbeIT {

    @Test
    void shouldTellWhetherTheSnapshotTopicHasLeadersAcrossAFullOutage() throws Exception {
        try (KafkaTestCluster cluster = KafkaTestCluster.start(3)) {
            Map<String, Object> client = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                admin.createTopics(List.of(new NewTopic("probe.task-snapshots", 2, (short) 3))).all()
                        .get(30, TimeUnit.SECONDS);
            }
            try (SnapshotTopicProbe probe = new SnapshotTopicProbe(client, "probe.task-snapshots");
                    SnapshotTopicProbe missing = new SnapshotTopicProbe(client, "probe.no-such-topic")) {
                assertThat(awaitAnswer(probe, true)).as("up: the topic has leaders").isTrue();
                assertThat(missing.getAsBoolean()).as("a missing topic is not a reachable one").isFalse();

                cluster.stopAllBrokers();
                long asked = System.nanoTime();
                assertThat(probe.getAsBoolean()).as("every broker down").isFalse();
                assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("bounded by the probe's timeout")
                        .isLessThan(SnapshotTopicProbe.TIMEOUT.plusSeconds(3));

                cluster.restartAllBrokers();
                assertThat(awaitAnswer(probe, true)).as("back: leaders elected again").isTrue();
            }
        }
    }

    /** Asks until the probe says {@code expected} or 30 s have passed (leaders are elected a moment after a start). */
    private static boolean awaitAnswer(SnapshotTopicProbe probe, boolean expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean answer = probe.getAsBoolean();
        while (answer != expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
            answer = probe.getAsBoolean();
        }
        return answer;
    }
}
