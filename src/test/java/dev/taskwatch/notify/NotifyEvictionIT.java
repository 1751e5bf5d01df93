package dev.taskwatch.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.config.NotifyConfig;
import dev.taskwatch.config.NotifyConfig.NotifyRule;
import dev.taskwatch.config.NotifyConfig.Retry;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.model.Topics;
import dev.taskwatch.runtime.TopicAdmin;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.testing.KafkaTestBroker;
import dev.taskwatch.testing.LongRunning;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The case the delivered-event memory exists for, with a real consumer group: an event was delivered, then its commit
 * fails because the member was evicted (it stayed away from {@code poll} longer than {@code max.poll.interval.ms}), so
 * the group takes its partitions away and gives them back at the last committed offset, and the delivered event comes
 * again. Notify must commit it without calling the receiver a second time, and carry on in order.
 *
 * <p>The eviction is caused by holding notify at its commit point past the poll interval notify sets for itself
 * (80 s with a one-attempt rule), as a dead letter waiting for a Kafka outage would.
 */
@LongRunning
class NotifyEvictionIT {

    private static final Map<String, Object> SERDE = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT,
            new InProcessSchemaRegistry());

    private KafkaTestBroker kafka;
    private final WireMockServer receiver = new WireMockServer(wireMockConfig().dynamicPort());
    private Notifier notifier;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<ch.qos.logback.classic.Logger> watched = List.of(
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Notifier.class),
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(PendingCommits.class));

    @BeforeEach
    void start() {
        kafka = KafkaTestBroker.start();
        receiver.start();
        logs.start();
        watched.forEach(l -> l.addAppender(logs));
    }

    @AfterEach
    void stop() {
        watched.forEach(l -> l.detachAppender(logs));
        if (notifier != null) {
            notifier.close();
        }
        receiver.stop();
        kafka.close();
    }

    @Test
    void shouldCommitButNotCallAgainAnEventThatComesBackAfterItsCommitFailed() throws Exception {
        Topics topics = new Topics("notify-evicted.");
        Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers());
        new TopicAdmin(props, TopicAdmin.Settings.defaults().withPartitions(1, (short) 1)).createMissing(topics);
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        List<String> all = new ArrayList<>();
        try (KafkaProducer<TaskKey, TaskEvent> producer = new KafkaProducer<>(props, NotifyOutcomes.keys(SERDE),
                NotifyOutcomes.values(SERDE))) {
            for (int seq = 1; seq <= 3; seq++) {
                TaskEvent e = NotifyOutcomes.event("a", seq);
                producer.send(NotifyOutcomes.record(topics.events(), e)).get();
                all.add(e.getEventId());
            }
        }
        // one attempt: notify's poll interval is then its one-minute floor plus two call timeouts (80 s), which the
        // hold below passes
        NotifyRule rule = TestRules.withRetry(TestRules.to("ops", "http://localhost:" + receiver.port() + "/hook"),
                new Retry(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1)));
        NotifyConfig config = new NotifyConfig("g-evicted", List.of(rule));
        AtomicBoolean first = new AtomicBoolean(true);
        notifier = new Notifier(config, props, SERDE, topics, new SimpleMeterRegistry());
        long pollInterval = ((Number) notifier.consumerConfig().get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG))
                .longValue();
        notifier.beforeCommit(r -> {
            if (first.compareAndSet(true, false)) {
                try {
                    Thread.sleep(pollInterval + 10_000); // the member is evicted meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        notifier.start();

        await().atMost(Duration.ofMillis(pollInterval + 90_000)).until(() -> NotifyOutcomes.committed(
                kafka.bootstrapServers(), "g-evicted", topics.events()) == all.size());

        assertThat(NotifyOutcomes.okIds(receiver, "/hook")).as("each event called once, in order")
                .containsExactlyElementsOf(all);
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).as("the commit failed").anySatisfy(m -> assertThat(m)
                .contains("Notify cannot commit the offsets"));
        assertThat(lines).as("the delivered event came back and was recognised")
                .anySatisfy(m -> assertThat(m).contains("event a-1", "not delivered again"));
        lines.stream().filter(m -> m.contains("cannot commit")).findFirst()
                .ifPresent(m -> System.out.println("NotifyEvictionIT: " + m));
        assertThat(notifier.trouble()).isEmpty();
        assertThat(notifier.failure()).isEmpty();
    }
}
