package dev.taskwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.testing.ApicurioRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serde and the REST client against a real Confluent-compatible registry: Apicurio Registry's {@code
 * /apis/ccompat/v7}, started once for the class from the distribution Maven unpacked.
 */
class ApicurioRegistryIT {

    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistryIT.class);
    private static ApicurioRegistry apicurio;
    private static RestSchemaRegistryClient client;

    private final String subject = "it-" + UUID.randomUUID() + "-value";

    @BeforeAll
    static void startRegistry() {
        apicurio = ApicurioRegistry.start();
        log.info("Apicurio Registry ready on port {} after {} ms", apicurio.port(), apicurio.startupTime().toMillis());
        client = new RestSchemaRegistryClient(new AvroSerdeConfig(config(apicurio.ccompatUrl())));
    }

    @AfterAll
    static void stopRegistry() {
        if (client != null) {
            client.close();
        }
        if (apicurio != null) {
            apicurio.close();
        }
    }

    private static Map<String, Object> config(String url, Object... keyValues) {
        Map<String, Object> c = new HashMap<>();
        c.put("schema.registry.url", url);
        for (int i = 0; i < keyValues.length; i += 2) {
            c.put((String) keyValues[i], keyValues[i + 1]);
        }
        return c;
    }

    private static Schema v1() {
        return SchemaBuilder.record("Thing").namespace("it").fields().requiredString("a").endRecord();
    }

    /**
     * The transitions topology writes each event to the all-events and its type's topic and reuses the bytes only when
     * both subjects resolve to the same id: on Apicurio's ccompat API they do (content ids), so the reuse happens.
     */
    @Test
    void shouldGiveTheSameSchemaTheSameIdInEverySubject() {
        Schema event = AvroSchemas.withoutJavaProperties(dev.taskwatch.avro.TaskEvent.getClassSchema());
        String prefix = "it-" + UUID.randomUUID();
        int all = client.register(prefix + ".task-events-value", event);
        int perType = client.register(prefix + ".task-events.completed-value", event);
        assertThat(perType).isEqualTo(all);
    }

    @Test
    void shouldRegisterFetchByIdLookUpAndReadTheLatestVersion() {
        Schema schema = AvroSchemas.withoutJavaProperties(TaskKey.getClassSchema());

        int id = client.register(subject, schema);

        assertThat(client.register(subject, schema)).as("registering again is idempotent").isEqualTo(id);
        assertThat(client.getById(id)).isEqualTo(schema);
        assertThat(client.lookup(subject, schema)).contains(new RegisteredSchema(subject, id, 1, schema));
        assertThat(client.lookup(subject, v1())).isEmpty();
        assertThat(client.lookup("it-" + UUID.randomUUID() + "-absent", schema)).isEmpty();
        assertThat(client.latest(subject)).isEqualTo(new RegisteredSchema(subject, id, 1, schema));
    }

    @Test
    void shouldReportUnknownIdsAndSubjectsAsNotFound() {
        assertThat(catchThrowable(() -> client.getById(987_654))).isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("987654");
        assertThat(catchThrowable(() -> client.latest(subject))).isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining(subject);
    }

    /*
     * Apicurio 2.6 turns a ccompat PUT /config/{subject} into an artifact rule COMPATIBILITY on that subject, and
     * enforces it when a new version is registered (HTTP 409 with the rule violation as message). No v2 global rule
     * is needed for that. What differs from Confluent: Apicurio's global level (GET /config) is NONE, not BACKWARD, so
     * a subject without its own level accepts anything; deployments set BACKWARD per subject or globally.
     */
    @Test
    void shouldRejectAnIncompatibleChangeWithTheSubjectAndTheField() {
        client.setCompatibility(subject, "BACKWARD");
        assertThat(client.getCompatibility(subject)).isEqualTo("BACKWARD");
        int first = client.register(subject, v1());
        Schema breaking = SchemaBuilder.record("Thing").namespace("it").fields().requiredString("a")
                .requiredInt("added_without_default").endRecord();
        Schema compatible = SchemaBuilder.record("Thing").namespace("it").fields().requiredString("a")
                .optionalInt("added_with_default").endRecord();

        CompatibilityResult test = client.testCompatibility(subject, breaking);
        Throwable rejected = catchThrowable(() -> client.register(subject, breaking));

        assertThat(test.compatible()).isFalse();
        assertThat(String.join(" ", test.messages())).contains("added_without_default");
        assertThat(rejected).isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("'" + subject + "'").hasMessageContaining("added_without_default");
        assertThat(((IncompatibleSchemaException) rejected).subject()).isEqualTo(subject);
        assertThat(client.latest(subject).id()).isEqualTo(first);

        assertThat(client.testCompatibility(subject, compatible).compatible()).isTrue();
        int second = client.register(subject, compatible);
        assertThat(second).isNotEqualTo(first);
        assertThat(client.latest(subject)).isEqualTo(new RegisteredSchema(subject, second, 2, compatible));
    }

    @Test
    void shouldCarryTaskSnapshotsThroughTheSerdeAndTheRegistry() {
        String topic = "it-" + UUID.randomUUID();
        Serde<TaskSnapshot> writer = AvroSerdes.specific(TaskSnapshot.class, config(apicurio.ccompatUrl()), false);
        // A different configuration gets its own client and cache: reading really fetches the schema by id.
        AvroDeserializer<TaskSnapshot> reader = new AvroDeserializer<>(TaskSnapshot.class,
                config(apicurio.ccompatUrl(), "schema.registry.max.retries", 1), false);
        TaskSnapshot snapshot = WireFormatGoldenTest.fixedSnapshot();

        byte[] bytes = writer.serializer().serialize(topic, snapshot);

        assertThat(reader.deserialize(topic, bytes)).isEqualTo(snapshot);
        RegisteredSchema registered = client.latest(topic + "-value");
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registered.id());
        assertThat(registered.schema()).isEqualTo(AvroSchemas.withoutJavaProperties(TaskSnapshot.getClassSchema()));

        // auto.register=false finds the registration by lookup; use.latest.version by the latest version
        AvroSerializer<TaskSnapshot> lookingUp = new AvroSerializer<>(config(apicurio.ccompatUrl(),
                "auto.register.schemas", false, "schema.registry.request.timeout.ms", 5000), false);
        AvroSerializer<TaskSnapshot> latest = new AvroSerializer<>(config(apicurio.ccompatUrl(),
                "use.latest.version", true, "schema.registry.request.timeout.ms", 6000), false);
        assertThat(lookingUp.serialize(topic, snapshot)).isEqualTo(bytes);
        assertThat(latest.serialize(topic, snapshot)).isEqualTo(bytes);

        byte[] unknownId = bytes.clone();
        ByteBuffer.wrap(unknownId).putInt(1, 987_654);
        assertThat(catchThrowable(() -> reader.deserialize(topic, unknownId)))
                .isInstanceOf(UnknownSchemaIdException.class).hasMessageContaining("987654")
                .hasMessageContaining(topic);
    }

    @Test
    void shouldFailQuicklyWithAClearErrorWhenTheRegistryIsDown() throws IOException {
        String down;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = "http://127.0.0.1:" + s.getLocalPort() + "/apis/ccompat/v7";
        }
        String url = down;
        AvroSerializer<TaskSnapshot> serializer = new AvroSerializer<>(config(url, "schema.registry.max.retries", 2,
                "schema.registry.request.timeout.ms", 2000), false);

        // A guard against hanging, not a performance assertion: the real backoff is 100 + 200 ms.
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> catchThrowable(() -> serializer.serialize("down", WireFormatGoldenTest.fixedSnapshot())));

        assertThat(t).isInstanceOf(SchemaRegistryUnavailableException.class).hasMessageContaining(url)
                .hasMessageContaining("'down-value'").hasMessageContaining("after 3 attempts")
                .hasMessageContaining("ConnectException");
    }
}
