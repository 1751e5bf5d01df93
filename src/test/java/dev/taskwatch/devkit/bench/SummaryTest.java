package dev.taskwatch.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void shouldTakeTheMiddleSampleAsMedianAndSpreadRelativeToIt() {
        Summary s = Summary.of(List.of(30.0, 10.0, 20.0));
        assertThat(s.median()).isEqualTo(20.0);
        assertThat(s.min()).isEqualTo(10.0);
        assertThat(s.max()).isEqualTo(30.0);
        assertThat(s.spreadPct()).isCloseTo(100.0, within(1e-9));
        assertThat(s.samples()).containsExactly(30.0, 10.0, 20.0);
    }

    @Test
    void shouldAverageTheMiddleTwoForAnEvenCount() {
        assertThat(Summary.of(List.of(1.0, 2.0, 3.0, 10.0)).median()).isEqualTo(2.5);
    }

    @Test
    void shouldTakeNearestRankPercentiles() {
        List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(Summary.percentile(values, 50)).isEqualTo(5.0);
        assertThat(Summary.percentile(values, 95)).isEqualTo(10.0);
        assertThat(Summary.percentile(values, 10)).isEqualTo(1.0);
        assertThat(Summary.percentile(values, 100)).isEqualTo(10.0);
    }

    @Test
    void shouldRefuseNoSamples() {
        assertThatThrownBy(() -> Summary.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGenerateMostlyDuplicatesAsPollingDoes() {
        SnapshotInput input = new SnapshotInput(20_000, 2_000);
        int[] count = {0};
        input.generate(s -> count[0]++);
        assertThat(count[0]).isEqualTo(20_000);
        assertThat(input.duplicates() + input.changes() + input.tasks()).isEqualTo(20_000);
        assertThat((double) input.duplicates() / input.snapshots()).isBetween(0.85, 0.9);
    }
}
