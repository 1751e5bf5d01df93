package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskwatch.config.ConfigLoader;
import dev.taskwatch.devkit.embedded.EmbeddedDataDir;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.serde.AvroSerdeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** Where events and watch find Kafka and the registry: option, then --config, then a running embedded `run`. */
class KafkaOptionsTest {

    @TempDir
    Path dir;

    static final class Probe implements Runnable {
        @Mixin
        KafkaOptions kafka;

        @Override
        public void run() {}
    }

    private KafkaOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.kafka;
    }

    @Test
    void shouldFindTheEmbeddedBrokerAndRegistryOfARunningRun() throws IOException {
        Files.writeString(dir.resolve(EmbeddedDataDir.BOOTSTRAP_FILE), "localhost:41234\n");
        Files.writeString(dir.resolve(EmbeddedDataDir.SCHEMA_JOURNAL), "");

        KafkaOptions kafka = parse("--data-dir", dir.toString());

        assertThat(kafka.bootstrapServers()).isEqualTo("localhost:41234");
        assertThat(kafka.serdeConfig().get(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT))
                .isInstanceOf(InProcessSchemaRegistry.class);
    }

    @Test
    void shouldPreferTheOptionsThenTheConfiguration() throws IOException {
        Files.writeString(dir.resolve(EmbeddedDataDir.BOOTSTRAP_FILE), "localhost:41234\n");
        var config = ConfigLoader.parse("""
                kafka:
                  bootstrap-servers: kafka-from-config:9092
                  properties:
                    security.protocol: SASL_SSL
                schema-registry:
                  url: http://registry:8081
                topics:
                  prefix: team.
                """, Map.of());

        KafkaOptions fromConfig = parse("--data-dir", dir.toString()).useConfig(config);
        KafkaOptions fromOptions = parse("--data-dir", dir.toString(), "--bootstrap-servers", "opt:1",
                "--topic-prefix", "mine.", "-X", "security.protocol=SSL").useConfig(config);

        assertThat(fromConfig.clientProperties()).containsEntry("bootstrap.servers", "kafka-from-config:9092")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(fromConfig.serdeConfig()).containsEntry(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry:8081");
        assertThat(fromConfig.topics().events()).isEqualTo("team.task-events");
        assertThat(fromOptions.clientProperties()).containsEntry("bootstrap.servers", "opt:1")
                .containsEntry("security.protocol", "SSL");
        assertThat(fromOptions.topics().events()).isEqualTo("mine.task-events");
    }

    @Test
    void shouldNameEveryWayToGiveTheClusterWhenNoneIsFound() {
        UserInputException e = catchThrowableOfType(UserInputException.class,
                () -> parse("--data-dir", dir.toString()).bootstrapServers());

        assertThat(e.getMessage()).isEqualTo("No Kafka cluster given: pass --bootstrap-servers HOST:PORT or set "
                + "TASKWATCH_BOOTSTRAP_SERVERS, set kafka.bootstrap-servers in --config, or start `taskwatch run` "
                + "(its embedded broker's address is in " + dir.resolve("bootstrap-servers") + ").");
    }
}
