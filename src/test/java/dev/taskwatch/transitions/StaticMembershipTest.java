package dev.taskwatch.transitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StaticMembershipTest {

    private static final String INSTANCE_ID = StreamsConfig.mainConsumerPrefix(
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    private static final String SESSION_TIMEOUT = StreamsConfig.mainConsumerPrefix(
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);

    @Test
    void shouldPreferTheConfiguredIdOverTheDataDir() {
        assertThat(StaticMembership.groupInstanceId(" transitions-a ", Path.of("/data"))).isEqualTo("transitions-a");
        assertThat(StaticMembership.groupInstanceId(" ", null)).isNull();
    }

    @Test
    void shouldDeriveAStableIdFromTheEmbeddedDataDir() {
        String id = StaticMembership.groupInstanceId(null, Path.of("/home/u/.taskwatch"));
        assertThat(id).matches("taskwatch-run-[0-9a-f]{12}")
                .isEqualTo(StaticMembership.groupInstanceId(null, Path.of("/home/u/./.taskwatch")))
                .isNotEqualTo(StaticMembership.groupInstanceId(null, Path.of("/home/v/.taskwatch")));
    }

    @Test
    void shouldStayDynamicWithoutAnIdFromConfigOrEmbeddedDataDir() {
        assertThat(StaticMembership.groupInstanceId(null, null)).isNull();
        Properties p = TransitionStreamsConfig.properties("b:9092", TransitionSettings.defaults(), Map.of());
        assertThat(p).doesNotContainKeys(INSTANCE_ID, SESSION_TIMEOUT);
        assertThat(StaticMembership.isStatic(p)).isFalse();
    }

    @Test
    void shouldConfigureTheMainConsumerAsAStaticMemberWithTheLongerSessionTimeout() {
        Properties p = TransitionStreamsConfig.properties("b:9092",
                TransitionSettings.defaults().withGroupInstanceId("pod-0"), Map.of());
        assertThat(p).containsEntry(INSTANCE_ID, "pod-0").containsEntry(SESSION_TIMEOUT, 120_000);
        assertThat(StaticMembership.isStatic(p)).isTrue();
        // Kafka accepts it; the main consumer (only it) gets the id, with the stream thread's index appended
        StreamsConfig config = new StreamsConfig(p);
        assertThat(config.getMainConsumerConfigs("g", "c", 0)).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                "pod-0-0").containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 120_000);
        assertThat(config.getRestoreConsumerConfigs("c")).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void shouldApplyAnExplicitSessionTimeoutWithOrWithoutStaticMembership() {
        Properties p = TransitionStreamsConfig.properties("b:9092",
                TransitionSettings.defaults().withSessionTimeout(Duration.ofSeconds(20)), Map.of());
        assertThat(p).containsEntry(SESSION_TIMEOUT, 20_000).doesNotContainKey(INSTANCE_ID);
    }

    @Test
    void shouldRemainInTheGroupOnACleanCloseOnlyAsAStaticMember() {
        assertThat(StaticMembership.onCleanClose(true)).isEqualTo(GroupMembershipOperation.REMAIN_IN_GROUP);
        assertThat(StaticMembership.onCleanClose(false)).isEqualTo(GroupMembershipOperation.LEAVE_GROUP);
    }

    @Test
    void shouldRejectAnIdKafkaWouldRejectAndASessionTimeoutTheBrokersWouldRefuse() {
        assertThatThrownBy(() -> TransitionSettings.defaults().withGroupInstanceId("pod 0"))
                .hasMessageStartingWith("groupInstanceId: ").hasMessageContaining("'pod 0'");
        assertThatThrownBy(() -> TransitionSettings.defaults().withGroupInstanceId("x".repeat(250)))
                .hasMessageStartingWith("groupInstanceId: ");
        assertThatThrownBy(() -> TransitionSettings.defaults().withSessionTimeout(Duration.ofSeconds(5)))
                .hasMessageStartingWith("sessionTimeout: ").hasMessageContaining("PT5S");
        assertThatThrownBy(() -> TransitionSettings.defaults().withSessionTimeout(Duration.ofMinutes(31)))
                .hasMessageStartingWith("sessionTimeout: ");
        assertThat(TransitionSettings.defaults().withGroupInstanceId(" ").groupInstanceId()).isNull();
    }
}
