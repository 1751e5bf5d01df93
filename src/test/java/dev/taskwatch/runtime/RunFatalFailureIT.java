package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.devkit.embedded.EmbeddedDataDir;
import dev.taskwatch.model.Topics;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.TaskwatchProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fatal path of {@code taskwatch run} (DEVELOPERS.md: an uncaught error is captured, logged and surfaced as a
 * non-zero exit, never swallowed): a running process whose Kafka Streams application dies for real (its source topic
 * is deleted under it) exits by itself with code 1 and says on stderr, in one line, that the transitions failed.
 */
class RunFatalFailureIT {

    /** Generous: a missing source topic is noticed on the next metadata refresh and rebalance. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private Simulator simulator;
    private TaskwatchProcess run;

    @AfterEach
    void stop() throws InterruptedException {
        if (run != null) {
            run.kill();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void shouldExitWithCodeOneWhenTheTransitionsApplicationDies() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly());
        Path config = Files.writeString(dir.resolve("taskwatch.yaml"), """
                credentials:
                  sim:
                    type: token
                    token: fatal-token
                http:
                  port: 0
                targets:
                  - service: geminidb
                    region: eu-de
                    project-id: p1
                    endpoint: %s
                    credentials: sim
                    interval: 300ms
                    active-interval: 300ms
                """.formatted(simulator.endpoint(Service.GEMINIDB)));
        Path data = dir.resolve("data");
        run = TaskwatchProcess.start(dir, "run", "--config", config.toString(), "--data-dir", data.toString(),
                "--print-events", "jsonl");
        run.awaitStderr(line -> line.contains("started:"));
        String bootstrap = Files.readString(data.resolve(EmbeddedDataDir.BOOTSTRAP_FILE)).strip();

        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap))) {
            admin.deleteTopics(List.of(Topics.defaults().snapshots())).all().get(30, TimeUnit.SECONDS);
        }

        assertThat(run.process().waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS))
                .as("exits by itself within %s once Streams died; stderr:%n%s", EXIT_WITHIN, run.stderrTail())
                .isTrue();
        assertThat(run.process().exitValue()).as(run.stderrTail()).isEqualTo(1);
        assertThat(run.stderrLines()).as(run.stderr())
                .filteredOn(line -> line.startsWith("The transitions application "))
                .singleElement().satisfies(line -> assertThat(line).as("names the failure and its cause")
                        .contains("failed").containsIgnoringCase("missing"));
        assertThat(run.stderr()).as("the failure is logged with its cause")
                .contains("Transitions stream thread failed");
    }
}
