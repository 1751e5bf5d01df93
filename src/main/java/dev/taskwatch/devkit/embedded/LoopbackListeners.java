package dev.taskwatch.devkit.embedded;

import java.lang.reflect.Field;
import java.nio.channels.ServerSocketChannel;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.test.TestKitNode;

/**
 * Makes the listeners of a {@link KafkaClusterTestKit} bind to the host of its {@code listeners} setting (loopback
 * for taskwatch) instead of every interface.
 *
 * <p>Why this is needed: the kit picks its ports before the servers start by binding a server socket per node and
 * listener to the wildcard address ({@code PreboundSocketFactoryManager}: {@code new InetSocketAddress(0)}), and hands
 * that socket to the server whatever {@code listeners} says; so setting {@code listeners=...://127.0.0.1:0} alone
 * still leaves the broker reachable through every address of the machine. The kit's socket factory reopens a
 * pre-bound socket that was closed on the host of the listener setting and the same port, so closing the pre-bound
 * sockets between {@code build()} and {@code startup()} keeps the ports the kit has already written into the quorum
 * configuration while binding them where {@code listeners} says. The kit offers no accessor for its manager, hence
 * the one reflective read below; a Kafka upgrade that renames the field fails the start with a clear message (and
 * {@code EmbeddedKafkaIT} checks the binding).
 */
final class LoopbackListeners {

    private LoopbackListeners() {}

    /** Closes the kit's wildcard-bound sockets of every node and listener; call after build, before startup. */
    static void rebind(KafkaClusterTestKit cluster) throws Exception {
        PreboundSocketFactoryManager sockets = manager(cluster);
        String brokerListener = cluster.nodes().brokerListenerName().value();
        String controllerListener = cluster.nodes().controllerListenerName().value();
        for (TestKitNode node : cluster.nodes().brokerNodes().values()) {
            close(sockets.getSocketForListenerAndMarkAsUsed(node.id(), brokerListener));
        }
        for (TestKitNode node : cluster.nodes().controllerNodes().values()) {
            close(sockets.getSocketForListenerAndMarkAsUsed(node.id(), controllerListener));
        }
    }

    private static void close(ServerSocketChannel channel) throws java.io.IOException {
        if (channel != null) {
            channel.close();
        }
    }

    private static PreboundSocketFactoryManager manager(KafkaClusterTestKit cluster) {
        try {
            Field field = KafkaClusterTestKit.class.getDeclaredField("socketFactoryManager");
            field.setAccessible(true);
            return (PreboundSocketFactoryManager) field.get(cluster);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot bind the embedded broker to loopback only: Kafka's test kit "
                    + "changed (" + e + ")", e);
        }
    }
}
