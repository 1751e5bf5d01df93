package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides from two answers how a list API reads its {@code offset} parameter ({@link OffsetReading}): pure, no I/O, no
 * clock, so the poller owns when to ask and what to do with the verdict.
 *
 * <p>How the poller uses it:
 * <ol>
 *   <li>After the first page of a listing (item offset 0) call {@link #needed(TaskPage, int)} with the page and the
 *       limit it was asked with. Only a full page with (possibly) more behind it needs a probe: with one page, both
 *       readings return the same tasks.</li>
 *   <li>If needed, ask one more page with {@link #probeQuery(ListQuery)}: the same window, limit and filter, and the
 *       raw parameter {@code offset=1}. Read as items, that is the listing shifted by one element; read as a page
 *       number from 1, it is the first page again.</li>
 *   <li>{@link #examine(TaskPage, TaskPage)} (or {@link #decide} for just the reading) compares the two answers:
 *       <ul>
 *         <li>{@link OffsetReading#ITEMS}: exactly one element of the first page (its first) is missing from the
 *             probe, and the probe has at most one element the first page lacks (the one after it; none when the
 *             listing has exactly {@code limit} elements);</li>
 *         <li>{@link OffsetReading#PAGES}: the probe holds exactly the first page's elements;</li>
 *         <li>undecided otherwise, and always when the two {@code total_count}s differ (tasks were created or aged
 *             out between the two requests), when an element has no readable id, or when the pages overlap in any
 *             other way. Probe again on a later cycle; until then keep the reading you use.</li>
 *       </ul></li>
 *   <li>Without {@code total_count} (DDS lists) a task created between the two requests can make an item-offset
 *       server look like a page-number one (the new task shifts the listing by one, so {@code offset=1} returns the
 *       old first page). {@link Verdict#needsConfirmation()} is then true: adopt the reading only when a second probe
 *       on a later cycle {@linkplain Verdict#agreesWith agrees}.</li>
 * </ol>
 * Elements are compared as sets of ids, so the order in which a page lists its tasks (and rejects) does not matter,
 * and the comparison uses the whole page rather than the first two ids alone.
 */
public final class OffsetReadingProbe {

    private OffsetReadingProbe() {}

    /** The raw {@code offset} parameter of the probe page. */
    public static final int PROBE_PARAMETER = 1;

    /**
     * The outcome of one probe.
     *
     * @param reading           the reading, or null when undecided
     * @param reason            why, in words for a log line
     * @param needsConfirmation whether the answers had no {@code total_count}, so that a second probe must agree
     *                          before the reading is trusted
     */
    public record Verdict(OffsetReading reading, String reason, boolean needsConfirmation) {

        public Verdict {
            Objects.requireNonNull(reason, "reason");
        }

        static Verdict undecided(String reason) {
            return new Verdict(null, reason, false);
        }

        /** The reading, if decided. */
        public Optional<OffsetReading> decided() {
            return Optional.ofNullable(reading);
        }

        /** Whether both verdicts decided the same reading (what confirms a verdict that needs confirmation). */
        public boolean agreesWith(Verdict other) {
            return reading != null && other != null && reading == other.reading;
        }
    }

    /**
     * Whether the first page of a listing calls for a probe: it is full, and {@code total_count} (if the API sends
     * one) says there is more than one page.
     *
     * @param first the answer to the first page (item offset 0)
     * @param limit the limit it was asked with
     */
    public static boolean needed(TaskPage first, int limit) {
        if (limit < 1 || first.elements() < limit) {
            return false;
        }
        return first.totalCount() == null || first.totalCount() > limit;
    }

    /** The probe page for the listing whose first page was {@code first}: the raw parameter {@code offset=1}. */
    public static ListQuery probeQuery(ListQuery first) {
        return new ListQuery(first.window(), PROBE_PARAMETER, first.limit(), first.runningOnly(), OffsetReading.ITEMS);
    }

    /** The reading the two answers show, or empty when undecided (see {@link #examine}). */
    public static Optional<OffsetReading> decide(TaskPage first, TaskPage probe) {
        return examine(first, probe).decided();
    }

    /**
     * Compares the first page (item offset 0) with the probe page ({@code offset=1}, same limit); see the class
     * comment for the rules.
     */
    public static Verdict examine(TaskPage first, TaskPage probe) {
        Integer firstTotal = first.totalCount();
        Integer probeTotal = probe.totalCount();
        if (firstTotal != null && probeTotal != null && !firstTotal.equals(probeTotal)) {
            return Verdict.undecided("total_count changed from " + firstTotal + " to " + probeTotal
                    + " between the two answers (tasks created or aged out meanwhile); probe again later");
        }
        int limit = first.elements();
        if (limit == 0) {
            return Verdict.undecided("the first page is empty");
        }
        Set<String> firstIds = ids(first);
        Set<String> probeIds = ids(probe);
        if (firstIds == null || probeIds == null) {
            return Verdict.undecided("an element without a readable id; probe again later");
        }
        if (firstIds.size() != first.elements() || probeIds.size() != probe.elements()) {
            return Verdict.undecided("a page lists one id twice; probe again later");
        }
        Integer total = firstTotal != null ? firstTotal : probeTotal;
        boolean unconfirmed = total == null;
        Set<String> gone = new HashSet<>(firstIds);
        gone.removeAll(probeIds);
        Set<String> added = new HashSet<>(probeIds);
        added.removeAll(firstIds);
        if (gone.isEmpty() && added.isEmpty()) {
            return new Verdict(OffsetReading.PAGES, "offset=1 returned the first page again: offset is a page "
                    + "number from 1", unconfirmed);
        }
        int expectedAdded = total == null ? -1 : (total > limit ? 1 : 0);
        boolean shiftedByOne = gone.size() == 1 && (expectedAdded < 0 ? added.size() <= 1
                : added.size() == expectedAdded);
        if (shiftedByOne) {
            return new Verdict(OffsetReading.ITEMS, "offset=1 returned the listing shifted by one element: offset "
                    + "counts items from 0", unconfirmed);
        }
        return Verdict.undecided("offset=1 returned " + probe.elements() + " element(s), " + gone.size()
                + " of the first page's missing and " + added.size() + " new: neither reading; probe again later");
    }

    /** The ids of a page's elements, read or rejected; null if one has no id. */
    private static Set<String> ids(TaskPage page) {
        Set<String> ids = new HashSet<>();
        for (TaskSnapshot task : page.tasks()) {
            ids.add(task.getTaskId());
        }
        for (TaskReject reject : page.rejects()) {
            if (reject.taskId() == null) {
                return null;
            }
            ids.add(reject.taskId());
        }
        return ids;
    }
}
