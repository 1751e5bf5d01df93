package dev.taskwatch.transitions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Wraps the event value serializer and adds {@code ce_dataschema} to the record's CloudEvents headers: only the
 * serializer knows which registry id the writer schema got (it may differ per topic and per registry), and Kafka
 * Streams hands the record's headers to the serializer before it sends them.
 */
public final class DataSchemaHeaderSerializer<T> extends DelegatingSerializer<T> {

    private final String registryUrl;

    /**
     * @param registryUrl the (first) schema registry URL the delegate registers with, or null for a registry without
     *                    one (the in-process registry of the embedded mode): then there is nothing a reader could
     *                    fetch, and no {@code ce_dataschema} is written
     */
    public DataSchemaHeaderSerializer(Serializer<T> delegate, String registryUrl) {
        super(delegate);
        this.registryUrl = registryUrl;
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        byte[] bytes = delegate.serialize(topic, headers, data);
        // only records that carry CloudEvents headers, and only framed values (magic byte 0 + 4-byte id)
        if (registryUrl != null && headers != null && bytes != null && bytes.length >= 5 && bytes[0] == 0
                && headers.lastHeader(CloudEventHeaders.SPEC_VERSION) != null) {
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            headers.remove(CloudEventHeaders.DATA_SCHEMA); // a retried send must not carry two
            headers.add(CloudEventHeaders.DATA_SCHEMA,
                    CloudEventHeaders.dataSchema(registryUrl, id).getBytes(StandardCharsets.UTF_8));
        }
        return bytes;
    }
}
