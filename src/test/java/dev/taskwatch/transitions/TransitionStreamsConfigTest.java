package dev.taskwatch.transitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;

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

    @Test
    void shouldKeepTheRestoreConsumersFetchWaitWithinTheStateUpdatersPollWhenNotConfigured() {
        Properties p = TransitionStreamsConfig.properties("b:9092", TransitionSettings.defaults(), Map.of());
        StreamsConfig config = new StreamsConfig(p);
        Object restoreWait = config.getRestoreConsumerConfigs("client").get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
        assertThat(restoreWait).isEqualTo(100);
        assertThat(((Number) restoreWait).longValue()).isLessThanOrEqualTo(config.getLong(StreamsConfig.POLL_MS_CONFIG));
        // only the restore consumer: the main consumer keeps Kafka's default
        assertThat(config.getMainConsumerConfigs("g", "client", 0)).doesNotContainKey(
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
    }

    @Test
    void shouldOpenStoreFilesOnOneThreadUnlessKafkaPropertiesSayOtherwise() {
        Properties p = TransitionStreamsConfig.properties("b:9092", TransitionSettings.defaults(), Map.of());
        assertThat(p.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(SingleThreadedFileOpening.class);
        try (Options options = new Options()) {
            assertThat(options.maxFileOpeningThreads()).isEqualTo(16);
            new SingleThreadedFileOpening().setConfig(TransitionTopology.STORE, options, Map.of());
            assertThat(options.maxFileOpeningThreads()).isEqualTo(1);
        }
        Properties overridden = TransitionStreamsConfig.properties("b:9092", TransitionSettings.defaults(), Map.of(
                StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Tuning",
                StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 500));
        assertThat(overridden).containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Tuning")
                .containsEntry("restore.consumer.fetch.max.wait.ms", 500);
    }

    @Test
    void shouldCreateTheChangelogWith64MiBSegmentsUnlessKafkaPropertiesSayOtherwise() {
        Properties p = TransitionStreamsConfig.properties("b:9092", TransitionSettings.defaults(), Map.of());
        // what Streams passes to the internal topics it creates (the changelog is the only one)
        assertThat(new StreamsConfig(p).originalsWithPrefix(StreamsConfig.TOPIC_PREFIX))
                .containsEntry(TopicConfig.SEGMENT_BYTES_CONFIG, 64 * 1024 * 1024);
        Properties overridden = TransitionStreamsConfig.properties("b:9092", TransitionSettings.defaults(), Map.of(
                "topic.segment.bytes", 104_857_600));
        assertThat(new StreamsConfig(overridden).originalsWithPrefix(StreamsConfig.TOPIC_PREFIX))
                .containsEntry(TopicConfig.SEGMENT_BYTES_CONFIG, 104_857_600);
    }
}
