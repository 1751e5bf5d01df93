package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.devkit.embedded.EmbeddedDataDir;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwatch.devkit.simulator.SimTask;
import dev.taskwatch.devkit.simulator.Simulator;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.testing.SimulatorTargets;
import dev.taskwatch.testing.TaskwatchProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/taskwatch.jar run} as a user starts it, in embedded mode (no Kafka, no registry configured)
 * on a temporary data directory, polling a scripted simulator: every kind of transition comes out exactly once as
 * JSON lines; after SIGTERM and a restart on the same data directory only new transitions are printed.
 */
class RunEndToEndIT {

    private static final String PROJECT = "p1";
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void shouldEmitEveryTransitionOnceAndNothingTwiceAfterARestart() throws Exception {
        simulator = Simulator.start(SimulatorSettings.defaults().scriptedOnly().withNotFoundGrace(Duration.ZERO));
        Path config = Files.writeString(dir.resolve("taskwatch.yaml"), config());
        Path data = dir.resolve("data");

        run = TaskwatchProcess.start(dir, "run", "--config", config.toString(), "--data-dir", data.toString(),
                "--print-events", "jsonl");
        run.awaitStderr(line -> line.contains("started:"));
        assertThat(data.resolve(EmbeddedDataDir.BOOTSTRAP_FILE)).exists();

        List<String> expected = new ArrayList<>();
        SimTask gemini = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "Resize");
        expect(expected, gemini, "STARTED");
        simulator.tasks().setProgress(gemini.id(), 50);
        expect(expected, gemini, "PROGRESSED");
        simulator.tasks().complete(gemini.id());
        expect(expected, gemini, "COMPLETED");

        SimTask opengauss = simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "Backup");
        expect(expected, opengauss, "STARTED");
        simulator.tasks().fail(opengauss.id(), "Insufficient quota");
        expect(expected, opengauss, "FAILED");

        SimTask canceled = simulator.tasks().createTask(Service.GEMINIDB, PROJECT, "Restart");
        expect(expected, canceled, "STARTED");
        simulator.tasks().cancel(canceled.id());
        expect(expected, canceled, "CANCELED");

        SimTask dds = simulator.tasks().createTask(Service.DDS, PROJECT, "Create_MongoDB");
        expect(expected, dds, "STARTED");
        simulator.tasks().complete(dds.id());
        expect(expected, dds, "COMPLETED");

        // TaurusDB has no list API: it is polled once somebody asks for the id, here with `taskwatch watch`,
        // which finds the running broker and registry through the data directory
        SimTask taurus = simulator.tasks().createTask(Service.TAURUSDB, PROJECT, "Upgrade");
        TaskwatchProcess watch = TaskwatchProcess.start(dir, "watch", "--data-dir", data.toString(), "--service",
                "taurusdb", "--region", "eu-de", "--project", PROJECT, "--task-id", taurus.id(),
                "--requested-by", "RunEndToEndIT");
        assertThat(watch.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(watch.process().exitValue()).as(watch.stderr()).isZero();
        expect(expected, taurus, "STARTED");
        simulator.tasks().complete(taurus.id());
        expect(expected, taurus, "COMPLETED");

        Thread.sleep(2_000); // a few more poll cycles: nothing may be repeated
        assertThat(run.events()).containsExactlyElementsOf(expected);
        assertThat(run.stdoutLines()).allSatisfy(line -> assertThat(JSON.readTree(line).get("event_id")).isNotNull());

        run.stopCleanly();

        run = TaskwatchProcess.start(dir, "run", "--config", config.toString(), "--data-dir", data.toString(),
                "--print-events", "jsonl");
        run.awaitStderr(line -> line.contains("started:"));
        SimTask after = simulator.tasks().createTask(Service.OPENGAUSS, PROJECT, "Restore");
        List<String> afterRestart = new ArrayList<>();
        expect(afterRestart, after, "STARTED");
        Thread.sleep(2_000);

        assertThat(run.events()).containsExactly(afterRestart.get(0));
        run.stopCleanly();
        run = null;
    }

    private void expect(List<String> expected, SimTask task, String type) throws InterruptedException {
        String event = task.id() + " " + type;
        expected.add(event);
        run.awaitEvent(event);
    }

    private String config() {
        return """
                credentials:
                  sim:
                    type: token
                    token: e2e-token
                    requests-per-second: 50
                http:
                  port: 0
                transitions:
                  commit-interval: 200ms
                targets:
                """ + SimulatorTargets.yaml(simulator, PROJECT, List.of(Service.values()));
    }
}
