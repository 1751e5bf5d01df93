package dev.taskwatch.devkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.serde.AvroSerdes;
import dev.taskwatch.testing.KafkaTestBroker;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    private final Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, new InProcessSchemaRegistry());

    @Test
    void shouldCarryTaskSnapshotsThroughTheBrokerWithTheAvroSerde() throws Exception {
        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            createTopic(kafka.bootstrapServers(), "snapshots");
            Serde<TaskKey> keys = AvroSerdes.specific(TaskKey.class, serdeConfig, true);
            Serde<TaskSnapshot> values = AvroSerdes.specific(TaskSnapshot.class, serdeConfig, false);
            List<TaskSnapshot> sent = List.of(snapshot("t-1", TaskStatus.RUNNING, 14), snapshot("t-2",
                    TaskStatus.COMPLETED, 100));

            try (KafkaProducer<TaskKey, TaskSnapshot> producer = new KafkaProducer<>(producerProps(kafka),
                    keys.serializer(), values.serializer())) {
                for (TaskSnapshot s : sent) {
                    producer.send(new ProducerRecord<>("snapshots", keyOf(s), s)).get();
                }
            }

            try (KafkaConsumer<TaskKey, TaskSnapshot> consumer = new KafkaConsumer<>(consumerProps(kafka),
                    keys.deserializer(), values.deserializer())) {
                consumer.subscribe(List.of("snapshots"));
                List<ConsumerRecord<TaskKey, TaskSnapshot>> received = pollUntil(consumer, sent.size());
                assertThat(received).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
                assertThat(received).extracting(ConsumerRecord::key).containsExactly(keyOf(sent.get(0)),
                        keyOf(sent.get(1)));
            }
        }
    }

    @Test
    void shouldKeepRecordsAcrossARestartOnTheSameDataDirectory(@TempDir Path dataDir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
            createTopic(kafka.bootstrapServers(), "kept");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "before restart")).get();
            }
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir);
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                        consumerProps(KafkaTestBroker.embedded(kafka)), new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of("kept"));
            assertThat(pollUntil(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("before restart");
        }
    }

    @Test
    void shouldSupportTransactionsForExactlyOnce() throws Exception {
        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            createTopic(kafka.bootstrapServers(), "tx");
            Properties props = producerProps(kafka);
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                    new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx", "k", "aborted"));
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx", "k", "committed"));
                producer.commitTransaction();
            }
            Properties consumerProps = consumerProps(kafka);
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("tx"));
                assertThat(pollUntil(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("committed");
            }
        }
    }

    @Test
    void shouldPrintNothingOnStdoutWhileStartingAndStopping() throws Exception {
        // stdout is reserved for events (run --print-events jsonl); Kafka's storage formatter prints to System.out.
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            assertThat(kafka.bootstrapServers()).contains(":");
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldAcceptConnectionsOnLoopbackOnly() throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback address to connect through");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (String address : List.of(kafka.bootstrapServers(), kafka.controllerAddress())) {
                int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
                assertThat(connects(InetAddress.getLoopbackAddress(), port)).as("loopback, port of %s", address)
                        .isTrue();
                assertThat(connects(external.get(), port)).as("%s, port of %s", external.get(), address).isFalse();
            }
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> isUp(i))
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static TaskSnapshot snapshot(String id, TaskStatus status, int progress) {
        Instant created = Instant.parse("2026-11-22T10:00:00Z");
        return TaskSnapshot.newBuilder()
                .setService("dds").setRegion("eu-de").setProjectId("p1").setTaskId(id)
                .setName("CreateInstance").setStatus(status).setRawStatus(status.name())
                .setProgressPercent(progress).setCreatedAt(created)
                .setEndedAt(status == TaskStatus.COMPLETED ? created.plusSeconds(60) : null)
                .setObservedAt(created.plusSeconds(90)).setSource("https://dds.example/v3/p1/jobs")
                .build();
    }

    private static boolean isUp(NetworkInterface i) {
        try {
            return i.isUp() && !i.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    private static TaskKey keyOf(TaskSnapshot s) {
        return new TaskKey(s.getService(), s.getRegion(), s.getProjectId(), s.getTaskId());
    }

    private static void createTopic(String bootstrap, String name) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        }
    }

    private static Properties producerProps(KafkaTestBroker kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    private static Properties consumerProps(KafkaTestBroker kafka) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    private static <K, V> List<ConsumerRecord<K, V>> pollUntil(KafkaConsumer<K, V> consumer, int count) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
