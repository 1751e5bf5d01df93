package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.SchemaNormalization;

/**
 * A 64-bit fingerprint of what a snapshot says about its task: every field except {@code observed_at} (when it was
 * read) and {@code source} (which call read it: a list and a get-by-id answer about the same state are the same
 * news). Two snapshots with the same fingerprint tell the same thing, so the second is not published again.
 *
 * <p>The dialects already give a list element and a get-by-id answer of the same state the same values where both
 * carry a fact (times as instants, nesting flattened, "" as null). A fact one shape cannot carry at all (openGauss's
 * job detail has no instance status) is supplied by {@link TargetMemory#fingerprint} through
 * {@link #of(TaskSnapshot, CharSequence)}.
 *
 * <p>64 bits (Avro's Rabin fingerprint, {@link SchemaNormalization#fingerprint64}) because a collision would hide a
 * change: at 10,000 tasks per target the chance of any collision is about 10<sup>-11</sup>.
 */
final class SnapshotFingerprint {

    private static final char SEP = '\u001f';

    private SnapshotFingerprint() {
    }

    static long of(TaskSnapshot s) {
        return of(s, s.getInstanceStatus());
    }

    /** The fingerprint of {@code s} as if its instance status were {@code instanceStatus}. */
    static long of(TaskSnapshot s, CharSequence instanceStatus) {
        StringBuilder b = new StringBuilder(160);
        add(b, s.getTaskId());
        add(b, s.getName());
        add(b, s.getStatus());
        add(b, s.getRawStatus());
        add(b, s.getProgressPercent());
        add(b, s.getCreatedAt());
        add(b, s.getEndedAt());
        add(b, s.getInstanceId());
        add(b, s.getInstanceName());
        add(b, instanceStatus);
        add(b, s.getFailReason());
        Map<String, String> details = s.getDetails();
        if (details != null && !details.isEmpty()) {
            // Avro maps are hash maps: sorted, so that equal details give equal text
            new TreeMap<>(details).forEach((k, v) -> {
                add(b, k);
                add(b, v);
            });
        }
        return SchemaNormalization.fingerprint64(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void add(StringBuilder b, Object value) {
        // null and "" must differ ("\u0000" marks null), and the separator keeps "ab"+"c" apart from "a"+"bc"
        b.append(value == null ? "\u0000" : value.toString()).append(SEP);
    }
}
