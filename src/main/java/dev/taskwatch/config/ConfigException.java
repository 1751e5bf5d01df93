package dev.taskwatch.config;

import java.util.List;

/**
 * The configuration is unusable. {@link #problems()} holds every problem found, each one line that starts with the
 * key path it concerns (e.g. {@code targets[1].interval: invalid duration 'soon' (use e.g. 30s, 5m, PT1M)}); no
 * problem line ever contains a secret. The CLI maps this exception to exit code 2.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(problems.size() == 1 ? "Invalid configuration: " + problems.get(0)
                : "Invalid configuration (" + problems.size() + " problems):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** Each problem as one line, key path first. */
    public List<String> problems() {
        return problems;
    }

    /** Each problem split into key path and message (e.g. for Kafka Connect's per-key validation results). */
    public List<ConfigProblem> details() {
        return problems.stream().map(ConfigProblem::parse).toList();
    }
}
