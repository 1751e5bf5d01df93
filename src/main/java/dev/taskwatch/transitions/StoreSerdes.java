package dev.taskwatch.transitions;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes of the internal {@code task-state} store and its changelog. These bytes never leave the application, so they
 * do not go through the schema registry:
 * <ul>
 *   <li>key: {@link TaskKey} in plain Avro binary (four length-prefixed strings). Stable by construction; a change
 *       of the key format would need a new store name anyway.</li>
 *   <li>value: one format-version byte ({@link #STATE_FORMAT_V1}) followed by {@link TaskState} in plain Avro binary
 *       with the schema of {@code schemas/TaskState.avsc} (kept in {@code schemas/history/TaskState/v1.avsc}). A
 *       later schema bumps the byte and keeps a reader for v1, so a changelog written by an older version restores.
 *       </li>
 * </ul>
 */
public final class StoreSerdes {

    public static final byte STATE_FORMAT_V1 = 1;

    private StoreSerdes() {}

    public static Serde<TaskKey> taskKey() {
        return Serdes.serdeFrom(new PlainAvroSerializer<>(TaskKey.class, null), new PlainAvroDeserializer<>(
                TaskKey.class, null));
    }

    public static Serde<TaskState> taskState() {
        return Serdes.serdeFrom(new PlainAvroSerializer<>(TaskState.class, STATE_FORMAT_V1),
                new PlainAvroDeserializer<>(TaskState.class, STATE_FORMAT_V1));
    }

    private static final class PlainAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
        private final SpecificDatumWriter<T> writer;
        private final Byte version;

        PlainAvroSerializer(Class<T> type, Byte version) {
            this.writer = new SpecificDatumWriter<>(type);
            this.version = version;
        }

        @Override
        public byte[] serialize(String topic, T data) {
            if (data == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(128);
                if (version != null) {
                    out.write(version);
                }
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                writer.write(data, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("Cannot encode " + data.getSchema().getName() + " for the state"
                        + " store (topic '" + topic + "'): " + e, e);
            }
        }
    }

    private static final class PlainAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
        private final SpecificDatumReader<T> reader;
        private final Class<T> type;
        private final Byte version;

        PlainAvroDeserializer(Class<T> type, Byte version) {
            this.reader = new SpecificDatumReader<>(type);
            this.type = type;
            this.version = version;
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            int offset = 0;
            if (version != null) {
                if (data.length == 0 || data[0] != version) {
                    throw new SerializationException("Unknown " + type.getSimpleName() + " format version "
                            + (data.length == 0 ? "(empty value)" : data[0]) + " in the state store (topic '" + topic
                            + "'); this version reads format " + version);
                }
                offset = 1;
            }
            try {
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, offset, data.length - offset, null);
                return reader.read(null, decoder);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("Cannot decode " + type.getSimpleName() + " from the state store"
                        + " (topic '" + topic + "'): " + e, e);
            }
        }
    }
}
