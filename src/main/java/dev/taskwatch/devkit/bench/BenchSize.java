package dev.taskwatch.devkit.bench;

import java.time.Duration;

/**
 * The sizes of one suite run: {@link #full()} is what docs/benchmarks.md reports, {@link #smoke()} what CI runs so that
 * the suite cannot rot (same code, small inputs; its figures mean little).
 *
 * @param name                 "full" or "smoke"
 * @param snapshots            input records of the Streams throughput benchmarks
 * @param tasks                distinct tasks among them
 * @param pollerTasks          tasks the simulator holds for the poller benchmark
 * @param latencyTransitions   scripted transitions per latency round
 * @param latencySpread        the transitions of a round happen at random times within this span
 * @param fastPollInterval     the target's active-interval in the latency benchmark
 * @param footprintTasks       tracked tasks of the footprint benchmark
 */
public record BenchSize(String name, int snapshots, int tasks, int pollerTasks, int latencyTransitions,
        Duration latencySpread, Duration fastPollInterval, int footprintTasks) {

    public static BenchSize full() {
        return new BenchSize("full", 200_000, 20_000, 10_000, 80, Duration.ofSeconds(16), Duration.ofSeconds(1),
                100_000);
    }

    public static BenchSize smoke() {
        return new BenchSize("smoke", 20_000, 2_000, 1_000, 12, Duration.ofSeconds(3), Duration.ofSeconds(1),
                5_000);
    }
}
