package dev.taskwatch.devkit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one benchmark: its figures (each summarised over the measured rounds), the ratios against its
 * baseline measured in the same run with the target each is compared to, and notes on how it was measured.
 */
public final class BenchResult {

    /** One measured figure. */
    public record Figure(String name, String unit, Summary summary) {}

    /**
     * A ratio of two figures' medians, compared with a target.
     *
     * @param higherIsBetter true when the target is a floor (ratio >= target), false when it is a ceiling
     */
    public record Ratio(String name, double value, double target, boolean higherIsBetter, String explanation) {
        public boolean met() {
            return higherIsBetter ? value >= target : value <= target;
        }
    }

    private final String id;
    private final String title;
    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final List<Ratio> ratios = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();

    public BenchResult(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public BenchResult figure(String name, String unit, List<Double> samples) {
        figures.put(name, new Figure(name, unit, Summary.of(samples)));
        return this;
    }

    public BenchResult ratio(String name, double value, double target, boolean higherIsBetter, String explanation) {
        ratios.add(new Ratio(name, value, target, higherIsBetter, explanation));
        return this;
    }

    public BenchResult note(String note) {
        notes.add(note);
        return this;
    }

    public BenchResult parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public Figure figure(String name) {
        Figure f = figures.get(name);
        if (f == null) {
            throw new IllegalArgumentException("No figure " + name + " in " + id);
        }
        return f;
    }

    public double median(String name) {
        return figure(name).summary().median();
    }

    public List<Figure> figures() {
        return List.copyOf(figures.values());
    }

    public List<Ratio> ratios() {
        return List.copyOf(ratios);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public Map<String, Object> parameters() {
        return Map.copyOf(parameters);
    }

    Map<String, Object> parametersInOrder() {
        return parameters;
    }
}
