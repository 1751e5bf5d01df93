package dev.taskwatch.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The listing benchmark runs (virtual clock, a few seconds) and its figures keep their goals: what a poll cycle costs
 * does not grow with the finished history. A regression guard on request counts, which a virtual clock makes exact,
 * never on time.
 */
class ListingBenchIT {

    @Test
    void shouldCostAtMostThreeRequestsAnActiveCycleAndOnePassAtFirstStartWhateverTheHistory() {
        for (int history : new int[] {0, 500}) {
            try (ListingBench bench = new ListingBench(history)) {
                ListingBench.Result r = bench.run();
                assertThat(r.maxRequestsInACycle()).as("history %d: most requests in a cycle", history)
                        .isLessThanOrEqualTo(3);
                assertThat(r.firstStartPages()).as("history %d: first start", history).isEqualTo(r.onePassPages());
                assertThat(r.snapshotsPerCycle()).as("history %d: snapshots against changes", history)
                        .isLessThanOrEqualTo(r.changesPerCycle() * 1.05);
                assertThat(r.cycles()).isGreaterThan(100);
            }
        }
    }
}
