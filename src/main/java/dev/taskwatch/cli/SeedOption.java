package dev.taskwatch.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed}: the seed of the simulator's random schedule, for {@code simulate} and the built-in simulator of
 * {@code run}; the same seed gives the same tasks.
 */
public final class SeedOption {

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the simulator's random schedule (default: ${DEFAULT-VALUE}).")
    long seed;

    long seed() {
        return seed;
    }
}
