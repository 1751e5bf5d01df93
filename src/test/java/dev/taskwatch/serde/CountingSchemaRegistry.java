package dev.taskwatch.serde;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** Test double: forwards to a real registry and counts every call by method name. */
final class CountingSchemaRegistry implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    CountingSchemaRegistry(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void count(String method) {
        calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public int register(String subject, Schema schema) {
        count("register");
        return delegate.register(subject, schema);
    }

    @Override
    public Schema getById(int id) {
        count("getById");
        return delegate.getById(id);
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        count("lookup");
        return delegate.lookup(subject, schema);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        count("latest");
        return delegate.latest(subject);
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema) {
        count("testCompatibility");
        return delegate.testCompatibility(subject, schema);
    }

    @Override
    public String getCompatibility(String subject) {
        count("getCompatibility");
        return delegate.getCompatibility(subject);
    }

    @Override
    public void setCompatibility(String subject, String level) {
        count("setCompatibility");
        delegate.setCompatibility(subject, level);
    }
}
