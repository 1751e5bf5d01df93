package dev.taskwatch.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The external services a production-mode test class runs taskwatch against: an {@link ApicurioRegistry} and the
 * {@link KafkaTestBroker} the environment selects, started once before the class's first test (they take seconds)
 * and stopped after its last. Register it on a static field:
 * {@code @RegisterExtension static final BrokerAndRegistry services = new BrokerAndRegistry();}
 */
public final class BrokerAndRegistry implements BeforeAllCallback, AfterAllCallback {

    private ApicurioRegistry registry;
    private KafkaTestBroker kafka;

    @Override
    public void beforeAll(ExtensionContext context) {
        registry = ApicurioRegistry.start();
        kafka = KafkaTestBroker.start();
    }

    /** Runs even when a start failed (JUnit calls it after a failed {@link #beforeAll}): whatever started stops. */
    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) {
            kafka.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The registry itself, e.g. to {@link ApicurioRegistry#freeze() freeze} it. */
    public ApicurioRegistry registry() {
        return registry;
    }

    /** The registry's Confluent-compatible API, what taskwatch's {@code schema-registry.url} names. */
    public String registryUrl() {
        return registry.ccompatUrl();
    }
}
