package dev.taskwatch.taskcenter;

import static dev.taskwatch.taskcenter.Recorded.expected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OffsetReadingProbeTest {

    private final Target target = Recorded.target(Service.OPENGAUSS, "p");

    /** A listing of {@code size} tasks t0, t1, ... in the server's order. */
    private static List<String> listing(int size) {
        return IntStream.range(0, size).mapToObj(i -> "t" + i).toList();
    }

    /** What a server answers for the raw parameter {@code offset} under {@code reading}. */
    private TaskPage answer(List<String> listing, OffsetReading reading, int offset, int limit, boolean totalCount) {
        int from = reading == OffsetReading.ITEMS ? offset : Math.max(0, offset - 1) * limit;
        List<String> ids = from >= listing.size() ? List.of()
                : listing.subList(from, Math.min(listing.size(), from + limit));
        return page(ids, totalCount ? listing.size() : null);
    }

    private TaskPage page(List<String> ids, Integer totalCount) {
        List<TaskSnapshot> tasks = new ArrayList<>();
        for (String id : ids) {
            tasks.add(expected(target, id, "Restart", TaskStatus.RUNNING, "Running")
                    .setCreatedAt(Instant.parse("2026-11-24T10:00:00Z")).setSource("src").build());
        }
        return new TaskPage(tasks, totalCount);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10, 100})
    void shouldDetectItemOffsetsWhenTheProbeIsTheListingShiftedByOne(int limit) {
        List<String> listing = listing(limit * 3 + 1);
        TaskPage first = answer(listing, OffsetReading.ITEMS, 0, limit, true);
        TaskPage probe = answer(listing, OffsetReading.ITEMS, OffsetReadingProbe.PROBE_PARAMETER, limit, true);

        assertThat(OffsetReadingProbe.needed(first, limit)).isTrue();
        assertThat(OffsetReadingProbe.decide(first, probe)).contains(OffsetReading.ITEMS);
        assertThat(OffsetReadingProbe.examine(first, probe).needsConfirmation()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10, 100})
    void shouldDetectPageNumbersWhenOffsetOneReturnsTheFirstPageAgain(int limit) {
        List<String> listing = listing(limit * 3 + 1);
        TaskPage first = answer(listing, OffsetReading.PAGES, 0, limit, true);
        TaskPage probe = answer(listing, OffsetReading.PAGES, OffsetReadingProbe.PROBE_PARAMETER, limit, true);

        assertThat(OffsetReadingProbe.decide(first, probe)).contains(OffsetReading.PAGES);
    }

    @Test
    void shouldNeedNoProbeForAListingThatFitsOnePage() {
        assertThat(OffsetReadingProbe.needed(page(listing(3), 3), 10)).as("short page").isFalse();
        assertThat(OffsetReadingProbe.needed(page(listing(10), 10), 10)).as("full, and total_count says no more")
                .isFalse();
        assertThat(OffsetReadingProbe.needed(page(listing(10), 11), 10)).isTrue();
        assertThat(OffsetReadingProbe.needed(page(listing(10), null), 10)).as("full DDS page: maybe more").isTrue();
        assertThat(OffsetReadingProbe.needed(page(List.of(), null), 10)).isFalse();
    }

    @Test
    void shouldStayUndecidedWhenTotalCountChangedBetweenTheTwoAnswers() {
        List<String> before = listing(25);
        List<String> after = new ArrayList<>(List.of("new"));
        after.addAll(before);
        TaskPage first = answer(before, OffsetReading.ITEMS, 0, 10, true);
        // an item-offset server after a task was added in front returns the old first page: it looks like PAGES
        TaskPage probe = answer(after, OffsetReading.ITEMS, 1, 10, true);

        OffsetReadingProbe.Verdict verdict = OffsetReadingProbe.examine(first, probe);

        assertThat(verdict.decided()).isEmpty();
        assertThat(verdict.reason()).contains("total_count changed from 25 to 26").contains("probe again later");
    }

    @Test
    void shouldDecideDdsListsWithoutTotalCountOnlySubjectToConfirmation() {
        List<String> listing = listing(35);
        OffsetReadingProbe.Verdict items = OffsetReadingProbe.examine(
                answer(listing, OffsetReading.ITEMS, 0, 10, false), answer(listing, OffsetReading.ITEMS, 1, 10, false));
        OffsetReadingProbe.Verdict pages = OffsetReadingProbe.examine(
                answer(listing, OffsetReading.PAGES, 0, 10, false), answer(listing, OffsetReading.PAGES, 1, 10, false));

        assertThat(items.decided()).contains(OffsetReading.ITEMS);
        assertThat(items.needsConfirmation()).isTrue();
        assertThat(pages.decided()).contains(OffsetReading.PAGES);
        assertThat(pages.needsConfirmation()).isTrue();
        assertThat(items.agreesWith(pages)).isFalse();
        assertThat(items.agreesWith(OffsetReadingProbe.examine(answer(listing, OffsetReading.ITEMS, 0, 10, false),
                answer(listing, OffsetReading.ITEMS, 1, 10, false)))).isTrue();
    }

    @Test
    void shouldDetectItemOffsetsOfADdsListingOfExactlyOnePage() {
        // without total_count a full page may be the whole listing: offset=1 then returns one element fewer
        List<String> listing = listing(10);
        TaskPage first = answer(listing, OffsetReading.ITEMS, 0, 10, false);
        TaskPage probe = answer(listing, OffsetReading.ITEMS, 1, 10, false);

        assertThat(probe.elements()).isEqualTo(9);
        assertThat(OffsetReadingProbe.decide(first, probe)).contains(OffsetReading.ITEMS);
    }

    @Test
    void shouldStayUndecidedWhenThePagesOverlapInNeitherWay() {
        TaskPage first = page(listing(10), 30);
        TaskPage disjoint = page(List.of("x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10"), 30);
        TaskPage empty = page(List.of(), 30);
        TaskPage twoGone = page(List.of("t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11"), 30);

        assertThat(OffsetReadingProbe.decide(first, disjoint)).isEmpty();
        assertThat(OffsetReadingProbe.decide(first, empty)).isEmpty();
        assertThat(OffsetReadingProbe.examine(first, twoGone).reason()).contains("2 of the first page's missing");
        assertThat(OffsetReadingProbe.decide(page(List.of(), 30), empty)).isEmpty();
    }

    @Test
    void shouldCountRejectedElementsByTheirIdsAndStayUndecidedWithoutOne() {
        List<String> readable = listing(10).subList(0, 9);
        TaskPage first = new TaskPage(page(readable, 30).tasks(), List.of(new TaskReject("t9", "bad", "{}")), 30);
        TaskPage itemsProbe = new TaskPage(page(listing(11).subList(1, 9), 30).tasks(),
                List.of(new TaskReject("t9", "bad", "{}"), new TaskReject("t10", "bad", "{}")), 30);
        TaskPage anonymous = new TaskPage(page(readable, 30).tasks(), List.of(new TaskReject(null, "no id", "{}")),
                30);

        assertThat(OffsetReadingProbe.decide(first, itemsProbe)).contains(OffsetReading.ITEMS);
        assertThat(OffsetReadingProbe.decide(first, first)).contains(OffsetReading.PAGES);
        assertThat(OffsetReadingProbe.examine(anonymous, anonymous).reason()).contains("without a readable id");
    }

    @Test
    void shouldAskTheProbeWithTheRawParameterOneAndTheSameLimitWindowAndFilter() {
        TimeWindow window = new TimeWindow(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-24T00:00:00Z"));
        ListQuery first = new ListQuery(window, 0, 20, true, OffsetReading.PAGES);

        ListQuery probe = OffsetReadingProbe.probeQuery(first);

        assertThat(probe.offsetParameter()).isEqualTo(1);
        assertThat(probe.limit()).isEqualTo(20);
        assertThat(probe.window()).isEqualTo(window);
        assertThat(probe.runningOnly()).isTrue();
        assertThat(new OpenGaussDialect().listRequest(target, probe).query()).containsEntry("offset", "1")
                .containsEntry("limit", "20").containsEntry("status", "Running");
        Target gemini = Recorded.target(Service.GEMINIDB, "p");
        assertThat(new GeminiDbDialect().listRequest(gemini, probe).query()).containsEntry("offset", "1");
        Target dds = Recorded.target(Service.DDS, "p");
        assertThat(new DdsDialect().listRequest(dds, probe).query()).containsEntry("offset", "1");
    }
}
