package dev.taskwatch.transitions;

import dev.taskwatch.serde.WireFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes a record once when the topology writes the same record to several topics: every event goes to the
 * all-events topic and to its type's topic, and both writes happen one after the other on the same stream thread.
 *
 * <p>The Confluent wire format is the schema id followed by the Avro encoding of the record in its own schema; the
 * encoding does not depend on the topic, only the id does, and the id is resolved per subject. So when the subject of
 * the second topic resolves to the same schema id as the first (the normal case: a registry gives the same schema one
 * global id in every subject, Confluent's and Apicurio's ccompat API alike), the bytes are identical and are reused.
 * When they differ (a subject pinned to another registration, a registry that numbers per subject), the record is
 * serialized again through the delegate, as before: never a patched header, never bytes with a foreign id.
 *
 * <p>The id of each topic is learned from the first record serialized for it (the delegate caches the id per subject
 * and schema for the life of the serializer anyway, so the id of a topic cannot change under us). The last record
 * is remembered per thread, by identity: Kafka Streams serializes in the thread that forwards, and the processor
 * forwards one unchanged event instance to both sinks.
 */
final class EncodeOnceSerializer<T> extends DelegatingSerializer<T> {

    private final Map<String, Integer> schemaIdOfTopic = new ConcurrentHashMap<>();
    private final ThreadLocal<Encoded> last = new ThreadLocal<>();

    private record Encoded(Object record, int schemaId, byte[] bytes) {}

    EncodeOnceSerializer(Serializer<T> delegate) {
        super(delegate);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        if (data == null) {
            return null;
        }
        Integer id = schemaIdOfTopic.get(topic);
        Encoded previous = last.get();
        if (id != null && previous != null && previous.record() == data && previous.schemaId() == id) {
            return previous.bytes();
        }
        byte[] bytes = headers == null ? delegate.serialize(topic, data) : delegate.serialize(topic, headers, data);
        int written = WireFormat.readSchemaId(bytes, topic);
        schemaIdOfTopic.put(topic, written);
        last.set(new Encoded(data, written, bytes));
        return bytes;
    }

    @Override
    public void close() {
        last.remove();
        super.close();
    }
}
