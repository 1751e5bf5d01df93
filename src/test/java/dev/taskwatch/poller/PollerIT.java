package dev.taskwatch.poller;

import static dev.taskwatch.poller.PollerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.testing.KafkaTestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * The poller against the in-JVM stub task center and the in-process broker: exact snapshots on the snapshot topic,
 * watch requests read from the topic, released with a tombstone, and the watch set rebuilt on restart.
 */
class PollerIT {

    private final Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, new InProcessSchemaRegistry());
    private final Topics topics = Topics.defaults();

    @Test
    void shouldPublishExactlyTheSnapshotsItSeesAndReleaseFinishedWatches() throws Exception {
        try (KafkaTestBroker kafka = KafkaTestBroker.start(); PollerFixture f = new PollerFixture()) {
            Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                admin.createTopics(List.of(new NewTopic(topics.snapshots(), 1, (short) 1),
                        new NewTopic(topics.watchRequests(), 1, (short) 1).configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all().get();
            }

            TestDialect listing = TestDialect.listingOnly();
            TestDialect byId = TestDialect.getByIdOnly();
            Target list = f.target("list", listing, Duration.ofDays(1), "c1");
            Target watched = f.target("watched", byId, Duration.ofDays(1), "c2");
            FakeTaskCenter.Tenant listTenant = f.center.tenant("list");
            listTenant.add("a", "Running", T0.minus(Duration.ofHours(2)));
            listTenant.add("b", "Completed", T0.minus(Duration.ofHours(1)));
            f.center.tenant("watched").add("job-7", "Running", T0.minusSeconds(30));

            TaskKey job7 = new TaskKey("taurusdb", "eu-de", watched.projectId(), "job-7");
            TaskKey job5 = new TaskKey("taurusdb", "eu-de", watched.projectId(), "job-5");
            TaskKey foreign = new TaskKey("taurusdb", "eu-nl", "someone-else", "job-1");
            produceWatch(kafka, job5, request(job5));
            produceWatch(kafka, job5, null); // released before we start: must not come back
            produceWatch(kafka, foreign, request(foreign));
            produceWatch(kafka, job7, request(job7));

            WatchSet watchSet = new WatchSet(List.of(list, watched), f.registry);
            try (KafkaWatchRequests watch = new KafkaWatchRequests(props, serdeConfig, topics.watchRequests(),
                    watchSet)) {
                watch.start();
                assertThat(watch.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
                assertThat(watchSet.entriesFor(watched)).extracting(WatchRequest::getTaskId)
                        .containsExactly("job-7");

                // phase 0: both credentials' lanes poll at once
                Poller poller = Poller.builder(f.settings, List.of(new PolledTarget(list, listing,
                                new TestAuthenticator()), new PolledTarget(watched, byId, new TestAuthenticator())))
                        .snapshots(new KafkaSnapshotSink(props, serdeConfig, topics))
                        .watch(watchSet, watch).http(f.unirest).metrics(f.registry).clock(f.clock)
                        .random(() -> 0.0).manual().build();
                ManualDriver scheduler = new ManualDriver(f.clock, poller);
                poller.start();
                scheduler.runFor(Duration.ofSeconds(1)); // first cycles at 1 s: a lane's first request waits a slot
                Instant first = T0.plusSeconds(1);

                listTenant.task("a").status = "Completed";
                f.center.tenant("watched").task("job-7").status = "Completed";
                scheduler.runFor(Duration.ofSeconds(5)); // active interval 5 s: second cycles at 5 s
                Instant second = T0.plusSeconds(5);
                poller.close();
                assertThat(poller.failure()).isEmpty();

                String listSource = f.center.endpoint("list") + "/v3/project-list/tasks";
                String getSource = f.center.endpoint("watched") + "/v3/project-watched/task";
                List<TaskSnapshot> expected = List.of(
                        snapshot(list, "a", TaskStatus.RUNNING, "Running", T0.minus(Duration.ofHours(2)), first,
                                listSource),
                        snapshot(list, "b", TaskStatus.COMPLETED, "Completed", T0.minus(Duration.ofHours(1)), first,
                                listSource),
                        snapshot(watched, "job-7", TaskStatus.RUNNING, "Running", T0.minusSeconds(30), first,
                                getSource),
                        snapshot(list, "a", TaskStatus.COMPLETED, "Completed", T0.minus(Duration.ofHours(2)),
                                second, listSource),
                        // b is unchanged in the second cycle: not published again
                        snapshot(watched, "job-7", TaskStatus.COMPLETED, "Completed", T0.minusSeconds(30), second,
                                getSource));
                List<ConsumerRecord<TaskKey, TaskSnapshot>> onTopic = readAll(kafka, topics.snapshots(),
                        TaskSnapshot.class, expected.size());
                assertThat(onTopic).extracting(ConsumerRecord::value).containsExactlyElementsOf(expected);
                assertThat(onTopic).allSatisfy(r -> assertThat(r.key()).isEqualTo(new TaskKey(
                        r.value().getService(), r.value().getRegion(), r.value().getProjectId(),
                        r.value().getTaskId())));
                assertThat(f.counter("taskwatch.poller.snapshots.published", "list")).isEqualTo(3);

                List<ConsumerRecord<TaskKey, WatchRequest>> watchTopic = readAll(kafka, topics.watchRequests(),
                        WatchRequest.class, 5);
                assertThat(watchTopic.get(4).key()).isEqualTo(job7);
                assertThat(watchTopic.get(4).value()).as("tombstone releases job-7").isNull();
                assertThat(watchSet.size()).isZero();
            }

            // a restart rebuilds the set from the topic: job-7 stays released, a new request is picked up
            TaskKey job8 = new TaskKey("taurusdb", "eu-de", watched.projectId(), "job-8");
            produceWatch(kafka, job8, request(job8));
            WatchSet rebuilt = new WatchSet(List.of(list, watched), new io.micrometer.core.instrument.simple
                    .SimpleMeterRegistry());
            try (KafkaWatchRequests watch = new KafkaWatchRequests(props, serdeConfig, topics.watchRequests(),
                    rebuilt)) {
                watch.start();
                assertThat(watch.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
                assertThat(rebuilt.entriesFor(watched)).extracting(WatchRequest::getTaskId).containsExactly("job-8");
                assertThat(rebuilt.size()).isEqualTo(1);
            }
        }
    }

    private static WatchRequest request(TaskKey key) {
        return new WatchRequest(key.getService(), key.getRegion(), key.getProjectId(), key.getTaskId(),
                T0.minusSeconds(10), "PollerIT", null);
    }

    private static TaskSnapshot snapshot(Target t, String id, TaskStatus status, String raw, Instant created,
            Instant observed, String source) {
        return TaskSnapshot.newBuilder().setService(t.service().id()).setRegion(t.region())
                .setProjectId(t.projectId()).setTaskId(id).setName("Task " + id).setStatus(status).setRawStatus(raw)
                .setCreatedAt(created).setDetails(Map.of()).setObservedAt(observed).setSource(source).build();
    }

    private void produceWatch(KafkaTestBroker kafka, TaskKey key, WatchRequest value) throws Exception {
        try (KafkaProducer<TaskKey, WatchRequest> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).serializer(),
                AvroSerdes.specific(WatchRequest.class, serdeConfig, false).serializer())) {
            producer.send(new ProducerRecord<>(topics.watchRequests(), key, value)).get();
        }
    }

    private <V extends org.apache.avro.specific.SpecificRecord> List<ConsumerRecord<TaskKey, V>> readAll(
            KafkaTestBroker kafka, String topic, Class<V> type, int expected) {
        try (KafkaConsumer<TaskKey, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                AvroSerdes.specific(TaskKey.class, serdeConfig, true).deserializer(),
                AvroSerdes.specific(type, serdeConfig, false).deserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<TaskKey, V>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            assertThat(out).as("records on " + topic).hasSize(expected);
            return out;
        }
    }
}
