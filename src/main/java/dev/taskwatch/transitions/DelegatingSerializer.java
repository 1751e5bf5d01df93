package dev.taskwatch.transitions;

import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serializer that wraps another to add to what it writes: configuration and closing pass through, and a subclass
 * says what it does with a record and its headers in {@link #serialize(String, Headers, Object)}; a record without
 * headers goes the same way, with none.
 */
abstract class DelegatingSerializer<T> implements Serializer<T> {

    protected final Serializer<T> delegate;

    DelegatingSerializer(Serializer<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        delegate.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return serialize(topic, null, data);
    }

    @Override
    public abstract byte[] serialize(String topic, Headers headers, T data);

    @Override
    public void close() {
        delegate.close();
    }
}
