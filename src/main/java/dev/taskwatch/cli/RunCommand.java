package dev.taskwatch.cli;

import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.devkit.embedded.EmbeddedDataDir;
import dev.taskwatch.devkit.embedded.EmbeddedEnvironment;
import dev.taskwatch.runtime.TaskwatchRuntime;
import dev.taskwatch.runtime.TaskwatchRuntime.Options;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code taskwatch run}: poller and transitions in one process; the embedded broker, registry and simulator stand in
 * for whatever is not configured.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the poller and the transitions in one process.",
            "Without kafka.bootstrap-servers it starts an embedded broker, without schema-registry.url an in-process "
                    + "registry, without targets the built-in task-center simulator; their data lives in --data-dir, "
                    + "so a restart resumes where it stopped and prints nothing twice.",
            "Events go to stdout, everything else to stderr. Stop with Ctrl-C or SIGTERM."})
public final class RunCommand implements Callable<Integer> {

    /** What a taskwatch data directory may contain; --fresh refuses to delete anything else. */
    static final Set<String> DATA_DIR_ENTRIES = EmbeddedDataDir.ENTRIES;

    @Mixin
    CommonOptions common;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".taskwatch",
            description = "Data of the embedded broker, registry and Streams state (env TASKWATCH_DATA_DIR; "
                    + "default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--fresh", description = "Delete the data directory first: start over (refuses a directory that "
            + "does not look like a taskwatch data directory).")
    boolean fresh;

    @Option(names = "--print-events", paramLabel = "text|jsonl|none", defaultValue = "text",
            description = "Print emitted events on stdout: text for people, jsonl one JSON object per line "
                    + "(Avro field names, ISO-8601 times), none (default: ${DEFAULT-VALUE}).")
    PrintEvents printEvents;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws Exception {
        TaskwatchConfig config = common.load();
        if (fresh) {
            deleteDataDir(dataDir);
        }
        // the environment creates the data directory only when it keeps something there (not in production mode)
        return RuntimeRunner.runUntilStopped(new TaskwatchRuntime(config,
                new EmbeddedEnvironment(config, dataDir, seed.seed(), Clock.systemUTC()),
                new Options(TaskwatchRuntime.allRoles(), printEvents.format(), System.out, System.err)));
    }

    /** Deletes {@code dir} when it holds only what taskwatch puts there. */
    static void deleteDataDir(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new UserInputException("--fresh: " + dir + " is not a directory; not deleting it");
        }
        List<String> unexpected;
        try (Stream<Path> entries = Files.list(dir)) {
            unexpected = entries.map(p -> p.getFileName().toString()).filter(n -> !DATA_DIR_ENTRIES.contains(n))
                    .sorted().toList();
        }
        if (!unexpected.isEmpty()) {
            throw new UserInputException("--fresh: " + dir + " does not look like a taskwatch data directory (it "
                    + "holds " + String.join(", ", unexpected) + "); not deleting it");
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
