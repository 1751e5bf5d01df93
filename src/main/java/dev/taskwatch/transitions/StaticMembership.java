package dev.taskwatch.transitions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Static membership (KIP-345) of the transitions application: which {@code group.instance.id} an instance uses, and
 * what a clean shutdown does with its membership.
 *
 * <p>Why: a dynamic member that restarts joins as a new member, and the group waits for the old member's session to
 * expire (45 s by default) before it rebalances and hands the partitions out again; after a {@code kill -9} nothing
 * is processed in that time. A static member that comes back with the same {@code group.instance.id} replaces its old
 * self at once and gets its old assignment back without any rebalance; the other instances keep processing.
 *
 * <p>Where the id comes from, first match wins:
 * <ol>
 *   <li>{@code transitions.group-instance-id} (explicit; also {@code TASKWATCH_TRANSITIONS_GROUP_INSTANCE_ID}, which
 *       the Kubernetes StatefulSet sets to the pod name: stable across restarts, unique among the replicas);</li>
 *   <li>the embedded {@code run}: derived from the data directory, which owns the embedded broker, so an instance
 *       restarted on the same directory is the same member;</li>
 *   <li>otherwise none: a dynamic member, as before (two processes must never share an id: the newer one fences the
 *       older, so nothing is derived from values that several processes may share).</li>
 * </ol>
 *
 * <p>Clean shutdown: a static member stays in the group ({@link GroupMembershipOperation#REMAIN_IN_GROUP}), so that a
 * restart in place (rolling update, Ctrl-C then {@code run} again) gets its partitions back without a rebalance; if it
 * does not come back within the session timeout, the group gives its partitions to the others. A dynamic member leaves
 * the group, so that its partitions move at once instead of after the session timeout.
 */
public final class StaticMembership {

    /** The environment override of {@code transitions.group-instance-id}; the Kubernetes manifest sets the pod name. */
    public static final String ENV = "TASKWATCH_TRANSITIONS_GROUP_INSTANCE_ID";
    /** Kafka's rule for {@code group.instance.id}: the characters of a topic name, at most 249 of them. */
    static final Pattern VALID = Pattern.compile("[a-zA-Z0-9._-]+");
    static final int MAX_LENGTH = 249;

    private StaticMembership() {}

    /**
     * The {@code group.instance.id} of this instance, or null for a dynamic member.
     *
     * @param configured      {@code transitions.group-instance-id} (or its {@code TASKWATCH_} override), or null
     * @param embeddedDataDir the data directory of an embedded {@code run}, or null when the broker is external
     */
    public static String groupInstanceId(String configured, Path embeddedDataDir) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        return embeddedDataDir == null ? null : fromDataDir(embeddedDataDir);
    }

    /** {@code taskwatch-run-} and the first 12 hex digits of the SHA-256 of the absolute, normalised path. */
    static String fromDataDir(Path dataDir) {
        String path = dataDir.toAbsolutePath().normalize().toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return "taskwatch-run-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Whether these Streams properties make the main consumer a static member. */
    static boolean isStatic(Properties streamsProps) {
        Object id = streamsProps.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        if (id == null) {
            id = streamsProps.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        }
        return id != null && !id.toString().isBlank();
    }

    /** What a clean close does with the membership (see the class comment). */
    static GroupMembershipOperation onCleanClose(boolean staticMember) {
        return staticMember ? GroupMembershipOperation.REMAIN_IN_GROUP : GroupMembershipOperation.LEAVE_GROUP;
    }
}
