package dev.taskwatch.devkit.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median and spread of the measured rounds of one figure.
 *
 * @param samples   one value per measured round, in round order
 * @param median    the median (mean of the middle two for an even count)
 * @param min       the smallest sample
 * @param max       the largest sample
 * @param spreadPct (max - min) / median, in percent
 */
public record Summary(List<Double> samples, double median, double min, double max, double spreadPct) {

    public static Summary of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("No samples");
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        double min = sorted.get(0);
        double max = sorted.get(n - 1);
        double spread = median == 0 ? 0 : 100.0 * (max - min) / Math.abs(median);
        return new Summary(List.copyOf(samples), median, min, max, spread);
    }

    /** The {@code p}-th percentile (0..100) of {@code values}, nearest-rank. */
    public static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("No values");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
