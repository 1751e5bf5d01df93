package dev.taskwatch.runtime;

/**
 * Kafka could not be reached at the configured bootstrap servers within a bounded time. Thrown at the boundary where
 * a client first talks to the cluster, so that the message names the address the user configured.
 */
public class KafkaUnavailableException extends RuntimeException {

    private final String bootstrapServers;

    public KafkaUnavailableException(String bootstrapServers, Throwable cause) {
        super("Couldn't connect to Kafka at " + bootstrapServers + ".", cause);
        this.bootstrapServers = bootstrapServers;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
