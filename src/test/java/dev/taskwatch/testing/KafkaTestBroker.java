package dev.taskwatch.testing;

import dev.taskwatch.devkit.embedded.EmbeddedKafka;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Kafka broker of an integration test. By default the in-process {@link EmbeddedKafka}; with system property
 * {@code taskwatch.it.kafka=testcontainers} (or env {@code TASKWATCH_IT_KAFKA=testcontainers}) a Testcontainers Kafka
 * instead, and the test is skipped (not failed) when no Docker engine is available.
 */
public interface KafkaTestBroker extends AutoCloseable {

    String PROPERTY = "taskwatch.it.kafka";
    String ENV = "TASKWATCH_IT_KAFKA";
    String KAFKA_IMAGE = "apache/kafka:4.1.1";

    String bootstrapServers();

    @Override
    void close();

    /** Starts the broker the environment selects. */
    static KafkaTestBroker start() {
        String choice = System.getProperty(PROPERTY, System.getenv().getOrDefault(ENV, "embedded"))
                .toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "embedded" -> embedded(EmbeddedKafka.start());
            case "testcontainers" -> testcontainers();
            default -> throw new IllegalArgumentException(PROPERTY + " must be 'embedded' or 'testcontainers', not '"
                    + choice + "'");
        };
    }

    static KafkaTestBroker embedded(EmbeddedKafka kafka) {
        return new KafkaTestBroker() {
            @Override
            public String bootstrapServers() {
                return kafka.bootstrapServers();
            }

            @Override
            public void close() {
                kafka.close();
            }
        };
    }

    private static KafkaTestBroker testcontainers() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "Testcontainers Kafka selected but no Docker engine is available: skipping");
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        return new KafkaTestBroker() {
            @Override
            public String bootstrapServers() {
                return container.getBootstrapServers();
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }
}
