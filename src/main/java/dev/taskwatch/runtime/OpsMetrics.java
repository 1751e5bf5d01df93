package dev.taskwatch.runtime;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's meter registry (Prometheus, for {@code /metrics}) and the bindings of JVM and Kafka client metrics
 * to it. Components get {@link #registry()} as their {@code MeterRegistry}; Kafka clients are bound after they are
 * created and unbound on {@link #close()} (Micrometer's Kafka binders poll the clients' own metrics).
 */
public final class OpsMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsMetrics.class);

    private final PrometheusMeterRegistry registry;
    private final Deque<Runnable> bindings = new ArrayDeque<>();

    public OpsMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public OpsMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Heap, GC, threads, class loading, CPU and uptime. */
    public OpsMetrics bindJvm() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        bindings.push(gc::close);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return this;
    }

    /** The metrics of a producer, tagged {@code client=<name>}. */
    public OpsMetrics bind(Producer<?, ?> producer, String name) {
        KafkaClientMetrics binder = new KafkaClientMetrics(producer, tags(name));
        return bind(binder, binder::close);
    }

    /** The metrics of a consumer (including its lag), tagged {@code client=<name>}. */
    public OpsMetrics bind(Consumer<?, ?> consumer, String name) {
        KafkaClientMetrics binder = new KafkaClientMetrics(consumer, tags(name));
        return bind(binder, binder::close);
    }

    public OpsMetrics bind(AdminClient admin, String name) {
        KafkaClientMetrics binder = new KafkaClientMetrics(admin, tags(name));
        return bind(binder, binder::close);
    }

    /** The metrics of a Streams instance and its embedded clients (consumer lag of the transitions topology). */
    public OpsMetrics bind(KafkaStreams streams, String name) {
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, tags(name));
        return bind(binder, binder::close);
    }

    private OpsMetrics bind(MeterBinder binder, Runnable unbind) {
        binder.bindTo(registry);
        bindings.push(unbind);
        return this;
    }

    private static Iterable<Tag> tags(String name) {
        return Tags.of("client", name);
    }

    /** Unbinds the clients and closes the registry. */
    @Override
    public void close() {
        while (!bindings.isEmpty()) {
            try {
                bindings.pop().run();
            } catch (RuntimeException e) {
                log.debug("Closing a metrics binding failed", e);
            }
        }
        registry.close();
    }
}
