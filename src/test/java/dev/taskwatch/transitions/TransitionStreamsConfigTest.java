package dev.taskwatch.transitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class TransitionStreamsConfigTest {

    @Test
    void shouldDefaultToTheTaskwatchApplicationIdAndExactlyOnceV2() {
        Properties p = TransitionStreamsConfig.properties("broker:9092", TransitionSettings.defaults(), Map.of());
        assertThat(p).containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "taskwatch-transitions")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
                .doesNotContainKeys(StreamsConfig.STATE_DIR_CONFIG, StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        // Kafka accepts the result as a whole.
        assertThat(new StreamsConfig(p).getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    }

    @Test
    void shouldMapTheTransitionsSettingsAndApplyPassthroughLast() {
        TransitionSettings settings = TransitionSettings.defaults().withApplicationId("team-a-transitions")
                .withProcessingGuarantee("at_least_once").withStateDir(Path.of("/var/lib/taskwatch"))
                .withCommitInterval(Duration.ofMillis(250));
        Properties p = TransitionStreamsConfig.properties("b:9092", settings, Map.of(
                "security.protocol", "SASL_SSL", StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000));
        assertThat(p).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "team-a-transitions")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/taskwatch")
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000)
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldRejectPassthroughOfTheKeysTheTransitionsSettingsOwn() {
        assertThatThrownBy(() -> TransitionStreamsConfig.properties("b:9092", TransitionSettings.defaults(),
                Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "x")))
                .hasMessageContaining("kafka.properties.application.id")
                .hasMessageContaining("transitions.application-id");
        assertThatThrownBy(() -> TransitionStreamsConfig.properties("b:9092", TransitionSettings.defaults(),
                Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once")))
                .hasMessageContaining("transitions.processing-guarantee");
        assertThatThrownBy(() -> TransitionStreamsConfig.properties(" ", TransitionSettings.defaults(), Map.of()))
                .hasMessageContaining("kafka.bootstrap-servers");
    }
}
