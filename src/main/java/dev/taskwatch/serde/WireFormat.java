package dev.taskwatch.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent Schema Registry wire format: one magic byte {@code 0}, the schema id as a 4-byte big-endian int, then
 * the Avro binary encoding of the datum. Byte for byte what Confluent's serializers write and read.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** Writes the 5-byte header into {@code buffer}. */
    public static void writeHeader(ByteBuffer buffer, int schemaId) {
        buffer.put(MAGIC_BYTE).putInt(schemaId);
    }

    /**
     * Reads the schema id from the header of {@code data}.
     *
     * @throws SerializationException naming the topic when the bytes are not in the wire format
     */
    public static int readSchemaId(byte[] data, String topic) {
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("Record from topic '" + topic + "' is " + data.length
                    + " bytes, too short for the Schema Registry wire format (5-byte header)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Record from topic '%s' does not start with magic byte 0 (found 0x%02x): not Schema Registry Avro",
                    topic, data[0]));
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }
}
