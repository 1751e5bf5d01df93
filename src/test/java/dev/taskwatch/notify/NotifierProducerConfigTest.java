package dev.taskwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.model.Topics;
import dev.taskwatch.config.NotifyConfig;
import dev.taskwatch.partition.TaskKeyPartitioner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The notify dead-letter producer writes the event records' raw bytes, so no task-identity partitioner. */
class NotifierProducerConfigTest {

    @Test
    void shouldDropATaskIdentityPartitionerFromThePassthroughPropertiesForTheRawByteDeadLetters() {
        Notifier notifier = new Notifier(new NotifyConfig("g", List.of(TestRules.to("r", "http://localhost:1/h"))),
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "x:9092",
                        ProducerConfig.PARTITIONER_CLASS_CONFIG, TaskKeyPartitioner.class.getName(),
                        ConsumerConfig.GROUP_ID_CONFIG, "someone", "security.protocol", "SSL"),
                Map.of(), Topics.defaults(), new SimpleMeterRegistry());

        assertThat(notifier.producerConfig()).doesNotContainKeys(ProducerConfig.PARTITIONER_CLASS_CONFIG,
                        ConsumerConfig.GROUP_ID_CONFIG)
                .containsEntry("security.protocol", "SSL")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
    }
}
