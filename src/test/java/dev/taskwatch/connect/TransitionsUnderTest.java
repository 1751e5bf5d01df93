package dev.taskwatch.connect;

import dev.taskwatch.model.Topics;
import dev.taskwatch.transitions.TransitionSettings;
import dev.taskwatch.transitions.TransitionStreamsConfig;
import dev.taskwatch.transitions.TransitionTopology;
import dev.taskwatch.transitions.TransitionsApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The transitions topology consuming a connector's snapshots in these tests: one stream thread, commits every 200 ms
 * so events follow snapshots closely, its internal topics with {@code replicas} replicas.
 */
final class TransitionsUnderTest {

    private TransitionsUnderTest() {}

    static TransitionsApp create(String bootstrap, Topics topics, Map<String, Object> serde, Path stateDir,
            int replicas) {
        TransitionSettings settings = TransitionSettings.defaults().withStateDir(stateDir)
                .withCommitInterval(Duration.ofMillis(200));
        return new TransitionsApp(TransitionStreamsConfig.properties(bootstrap, settings,
                Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1, StreamsConfig.REPLICATION_FACTOR_CONFIG, replicas)),
                TransitionTopology.build(topics, settings, serde, new SimpleMeterRegistry()));
    }
}
