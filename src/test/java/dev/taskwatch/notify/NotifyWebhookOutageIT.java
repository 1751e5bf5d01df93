package dev.taskwatch.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.config.NotifyConfig;
import dev.taskwatch.config.NotifyConfig.NotifyRule;
import dev.taskwatch.config.NotifyConfig.Retry;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.model.DeadLetterHeaders;
import dev.taskwatch.model.Topics;
import dev.taskwatch.runtime.TopicAdmin;
import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.testing.KafkaTestBroker;
import dev.taskwatch.testing.LongRunning;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A webhook endpoint down for five minutes (issue 22 item 6), scaled down 15 times: the receiver is down for 20 s and
 * every duration of the retry policy is divided by 15 as well (initial backoff 1 s → 67 ms, max backoff 1 m → 4 s,
 * max duration 10 m → 40 s).
 *
 * <p>Why the scaled run is the same experiment: what happens to an event depends only on the ratios between the
 * outage and the policy's durations. The backoff before retry n is {@code min(max-backoff, initial·2^(n-1))} with
 * equal jitter, so dividing every duration by 15 divides every wait by 15; a refused connection fails in
 * milliseconds at either scale. Each event therefore makes the same number of attempts, runs out of budget at the
 * same point of the outage, and the same events are dead-lettered or delivered, 15 times faster. Attempt counts and
 * {@code retry.max-attempts} are not scaled: they are counts. Nor is the call timeout (10 s): a refused connection
 * never waits for it, and a scaled one (667 ms) would only turn the slow first answer of a freshly started receiver
 * into a client timeout and a second call (one that the receiver's idempotency check is there for, but not what
 * this test is about).
 *
 * <p>Both ITs assert what notify promises for each event id: exactly one 2xx or exactly one dead letter, never both,
 * and per task the order of the events (a task's dead letters precede its deliveries, since the outage is one span).
 */
@LongRunning
class NotifyWebhookOutageIT {

    private static final int SCALE = 15;
    private static final Duration OUTAGE = Duration.ofMinutes(5).dividedBy(SCALE);
    private static final Map<String, Object> SERDE = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT,
            new InProcessSchemaRegistry());
    private static final List<String> TASKS = List.of("a", "b", "c", "d");
    private static final int EVENTS_PER_TASK = 3;

    private static KafkaTestBroker kafka;
    private final List<Notifier> started = new ArrayList<>();
    private final List<WireMockServer> receivers = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @AfterEach
    void stop() {
        started.forEach(Notifier::close);
        receivers.forEach(WireMockServer::stop);
    }

    /** {@link TestRules#DEFAULT_RETRY}, every duration divided by {@link #SCALE}. */
    private static Retry scaled(int maxAttempts) {
        Retry full = TestRules.DEFAULT_RETRY;
        return new Retry(maxAttempts, full.maxDuration().dividedBy(SCALE), full.initialBackoff().dividedBy(SCALE),
                full.maxBackoff().dividedBy(SCALE));
    }

    @Test
    void shouldDeadLetterWhatOutlivesTheDefaultBudgetAndDeliverTheRestWhenTheReceiverIsDownFiveMinutes()
            throws Exception {
        Outcome outcome = outage("notify-webhook-default.", scaled(TestRules.DEFAULT_RETRY.maxAttempts()));

        // with the defaults an event gives up after 8 attempts, 61.5 to 123 s (scaled) into its retries, so a
        // five-minute outage dead-letters a few events and the rest wait in order until the receiver is back
        assertThat(outcome.dead).as("events whose budget ran out during the outage").isNotEmpty();
        assertThat(outcome.delivered).as("events delivered after the receiver returned").isNotEmpty();
        System.out.printf("NotifyWebhookOutageIT: receiver down %d s (5 min / %d), default retry policy scaled: "
                + "%d dead-lettered, %d delivered after it returned%n", OUTAGE.toSeconds(), SCALE,
                outcome.dead.size(), outcome.delivered.size());
    }

    @Test
    void shouldDeliverEveryEventAfterTheReceiverReturnsWhenTheBudgetOutlastsTheOutage() throws Exception {
        // an operator who expects five-minute outages: max-duration 10 min (scaled) and attempts enough to use it
        Outcome outcome = outage("notify-webhook-patient.", scaled(1_000));

        assertThat(outcome.dead).as("nothing dead-lettered").isEmpty();
        assertThat(outcome.delivered).hasSize(TASKS.size() * EVENTS_PER_TASK);
    }

    private record Outcome(List<String> delivered, List<String> dead) {}

    /** Sends the events, runs notify with {@code retry} against a receiver down for {@link #OUTAGE}, checks each id. */
    private Outcome outage(String prefix, Retry retry) throws Exception {
        Topics topics = new Topics(prefix);
        new TopicAdmin(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                TopicAdmin.Settings.defaults().withPartitions(3, (short) 1)).createMissing(topics);
        List<String> all = new ArrayList<>();
        try (KafkaProducer<TaskKey, TaskEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), NotifyOutcomes.keys(SERDE), NotifyOutcomes.values(SERDE))) {
            for (int seq = 1; seq <= EVENTS_PER_TASK; seq++) {
                for (String task : TASKS) {
                    TaskEvent e = NotifyOutcomes.event(task, seq);
                    producer.send(NotifyOutcomes.record(topics.events(), e)).get();
                    all.add(e.getEventId());
                }
            }
        }
        WireMockServer down = new WireMockServer(wireMockConfig().dynamicPort());
        down.start();
        int port = down.port();
        down.stop(); // the port refuses connections for the whole outage
        NotifyRule rule = TestRules.withRetry(TestRules.to("ops", "http://localhost:" + port + "/hook"), retry);
        String group = prefix + "group";
        Notifier notifier = new Notifier(new NotifyConfig(group, List.of(rule)), Map.of("bootstrap.servers",
                kafka.bootstrapServers()), SERDE, topics, new SimpleMeterRegistry());
        started.add(notifier);
        notifier.start();
        Thread.sleep(OUTAGE.toMillis());

        WireMockServer back = new WireMockServer(wireMockConfig().port(port));
        receivers.add(back);
        back.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200))); // before its first call
        back.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> NotifyOutcomes.committed(kafka.bootstrapServers(), group,
                topics.events()) == all.size());

        List<String> delivered = NotifyOutcomes.okIds(back, "/hook");
        int deadLetters = all.size() - delivered.size();
        List<ConsumerRecord<byte[], byte[]>> records = deadLetters > 0
                ? NotifyOutcomes.readAll(kafka.bootstrapServers(), topics.notifyDlq(), deadLetters) : List.of();
        List<String> dead = NotifyOutcomes.ids(records);
        assertThat(records).allSatisfy(r -> assertThat(NotifyOutcomes.header(r, DeadLetterHeaders.REASON))
                .contains("connection refused"));

        assertThat(delivered).as("one 2xx per event id").doesNotHaveDuplicates();
        assertThat(dead).as("one dead letter per event id").doesNotHaveDuplicates();
        Set<String> both = new HashSet<>(delivered);
        both.retainAll(dead);
        assertThat(both).as("never delivered and dead-lettered").isEmpty();
        List<String> outcomes = new ArrayList<>(dead);
        outcomes.addAll(delivered);
        assertThat(outcomes).as("every event delivered or dead-lettered").containsExactlyInAnyOrderElementsOf(all);
        // dead letters first, then deliveries: read together, each task's ids must still be in order
        NotifyOutcomes.assertInTaskOrder("dead letters then deliveries", outcomes);
        assertThat(notifier.failure()).isEmpty();
        return new Outcome(delivered, dead);
    }
}
