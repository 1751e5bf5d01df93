package dev.taskwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.serde.AvroSerdeConfig;
import dev.taskwatch.devkit.embedded.InProcessSchemaRegistry;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Pins the bytes of one TaskSnapshot in the Confluent wire format. The expected bytes are assembled here by hand from
 * the Avro binary specification (https://avro.apache.org/docs/1.12.0/specification/#binary-encoding), not with Avro's
 * encoder, and cross-checked against a hex literal and Avro's plain decoder.
 */
class WireFormatGoldenTest {

    private static final int SCHEMA_ID = 42;
    private static final String TOPIC = "taskwatch.task-snapshots";
    private static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z"); // 1795341600000 ms
    private static final Instant OBSERVED = Instant.parse("2026-11-22T10:01:30.5Z"); // 1795341690500 ms

    /** A registry that knows exactly one schema, under the fixed id 42. */
    private static final class FixedIdRegistry implements SchemaRegistryClient {
        @Override
        public int register(String subject, Schema schema) {
            return SCHEMA_ID;
        }

        @Override
        public Schema getById(int id) {
            if (id != SCHEMA_ID) {
                throw new SchemaNotFoundException("no schema " + id);
            }
            return TaskSnapshot.getClassSchema();
        }

        @Override
        public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
            return Optional.of(new RegisteredSchema(subject, SCHEMA_ID, 1, schema));
        }

        @Override
        public RegisteredSchema latest(String subject) {
            return new RegisteredSchema(subject, SCHEMA_ID, 1, TaskSnapshot.getClassSchema());
        }

        @Override
        public CompatibilityResult testCompatibility(String subject, Schema schema) {
            return CompatibilityResult.ok();
        }

        @Override
        public String getCompatibility(String subject) {
            return "BACKWARD";
        }

        @Override
        public void setCompatibility(String subject, String level) {}
    }

    private static final Map<String, Object> CONFIG = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_CLIENT, new InProcessSchemaRegistry());

    static TaskSnapshot fixedSnapshot() {
        return TaskSnapshot.newBuilder()
                .setService("dds").setRegion("eu-de").setProjectId("p1").setTaskId("t-1")
                .setName("CreateInstance").setStatus(TaskStatus.RUNNING).setRawStatus("Running")
                .setProgressPercent(14).setCreatedAt(CREATED).setEndedAt(null)
                .setInstanceId("i-1").setInstanceName(null).setInstanceStatus(null).setFailReason(null)
                .setDetails(Map.of("k", "v")).setObservedAt(OBSERVED).setSource("/v3/p1/jobs")
                .build();
    }

    /** The same record, field by field in schema order, per the Avro binary spec. */
    static byte[] handAssembled() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        // Header: magic byte 0, then the schema id as a 4-byte big-endian int (42 = 0x0000002a).
        b.writeBytes(new byte[] {0x00, 0x00, 0x00, 0x00, 0x2a});
        string(b, "dds");            // service: length 3 zigzag = 0x06, then UTF-8
        string(b, "eu-de");          // region
        string(b, "p1");             // project_id
        string(b, "t-1");            // task_id
        string(b, "CreateInstance"); // name: length 14 zigzag = 0x1c
        zigzag(b, 1);                // status: enum index of RUNNING in [PENDING, RUNNING, ...] = 1 -> 0x02
        string(b, "Running");        // raw_status
        zigzag(b, 1);                // progress_percent: union ["null","int"] branch 1 -> 0x02
        zigzag(b, 14);               //   int 14 -> 0x1c
        zigzag(b, 1);                // created_at: union branch 1 (timestamp-millis long)
        zigzag(b, CREATED.toEpochMilli()); //   1795341600000 as zigzag varint
        zigzag(b, 0);                // ended_at: union branch 0 = null, no value follows
        zigzag(b, 1);                // instance_id: branch 1 (string)
        string(b, "i-1");
        zigzag(b, 0);                // instance_name: null
        zigzag(b, 0);                // instance_status: null
        zigzag(b, 0);                // fail_reason: null
        zigzag(b, 1);                // details: one block of 1 entry (count 1 -> 0x02)
        string(b, "k");              //   key
        string(b, "v");              //   value
        zigzag(b, 0);                //   end of map: block count 0
        zigzag(b, OBSERVED.toEpochMilli()); // observed_at: plain timestamp-millis long
        string(b, "/v3/p1/jobs");    // source
        return b.toByteArray();
    }

    /** Hex of {@link #handAssembled()}, written out so the golden bytes are visible in review. */
    private static final String GOLDEN_HEX = "000000002a"        // magic 0, id 42
            + "06646473" + "0a65752d6465" + "047031" + "06742d31"  // dds, eu-de, p1, t-1
            + "1c437265617465496e7374616e6365"                    // CreateInstance
            + "02" + "0e52756e6e696e67"                             // RUNNING, "Running"
            + "02" + "1c"                                           // progress: branch 1, 14
            + "02" + "809496abc068"                                 // created_at: branch 1, 1795341600000
            + "00"                                                  // ended_at: null
            + "02" + "06692d31"                                     // instance_id: "i-1"
            + "00" + "00" + "00"                                    // instance_name, instance_status, fail_reason
            + "02" + "026b" + "0276" + "00"                         // details {k=v}
            + "889aa1abc068"                                        // observed_at 1795341690500
            + "162f76332f70312f6a6f6273";                           // "/v3/p1/jobs"

    private static void zigzag(ByteArrayOutputStream b, long n) {
        long z = (n << 1) ^ (n >> 63);
        while ((z & ~0x7FL) != 0) {
            b.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        b.write((int) z);
    }

    private static void string(ByteArrayOutputStream b, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        zigzag(b, utf8.length);
        b.writeBytes(utf8);
    }

    @Test
    void shouldWriteTheExactConfluentWireFormatBytes() {
        AvroSerializer<TaskSnapshot> serializer = new AvroSerializer<>(new FixedIdRegistry(), CONFIG, false);

        byte[] bytes = serializer.serialize(TOPIC, fixedSnapshot());

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(HexFormat.of().formatHex(handAssembled()));
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(GOLDEN_HEX);
    }

    @Test
    void shouldReadTheGoldenBytesBackIntoTheSameRecord() {
        AvroDeserializer<TaskSnapshot> deserializer = new AvroDeserializer<>(new FixedIdRegistry(),
                TaskSnapshot.class, CONFIG, false);

        assertThat(deserializer.deserialize(TOPIC, HexFormat.of().parseHex(GOLDEN_HEX))).isEqualTo(fixedSnapshot());
    }

    @Test
    void shouldHaveABodyThatPlainAvroDecodesWithTheSchema() throws Exception {
        byte[] golden = HexFormat.of().parseHex(GOLDEN_HEX);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(golden, 5, golden.length - 5, null);
        GenericRecord record = new GenericDatumReader<GenericRecord>(TaskSnapshot.getClassSchema(),
                TaskSnapshot.getClassSchema(), new GenericData()).read(null, decoder);

        assertThat(decoder.isEnd()).isTrue();
        assertThat(record.get("task_id")).hasToString("t-1");
        assertThat(record.get("status")).hasToString("RUNNING");
        assertThat(record.get("progress_percent")).isEqualTo(14);
        // No conversions registered: logical types stay raw longs, so this also checks the millis themselves.
        assertThat(record.get("created_at")).isEqualTo(CREATED.toEpochMilli());
        assertThat(record.get("ended_at")).isNull();
        assertThat(record.get("observed_at")).isEqualTo(OBSERVED.toEpochMilli());
        assertThat(((Map<?, ?>) record.get("details"))).hasSize(1);
        assertThat(record.get("source")).hasToString("/v3/p1/jobs");
    }
}
