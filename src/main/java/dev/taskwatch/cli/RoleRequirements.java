package dev.taskwatch.cli;

import dev.taskwatch.config.ConfigException;
import dev.taskwatch.config.TaskwatchConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code poll}, {@code transitions} and {@code notify} need that {@code run} could embed: they are separate
 * deployments sharing a Kafka cluster and a schema registry, so neither may be in-process.
 */
final class RoleRequirements {

    private RoleRequirements() {}

    static void requireShared(TaskwatchConfig config, String command, boolean needsTargets) {
        List<String> problems = new ArrayList<>();
        if (!config.kafkaConfigured()) {
            problems.add("kafka.bootstrap-servers: required by `taskwatch " + command + "` (it starts no embedded "
                    + "broker); set it or TASKWATCH_KAFKA_BOOTSTRAP_SERVERS, or use `taskwatch run` for the embedded "
                    + "default");
        }
        if (!config.schemaRegistryConfigured()) {
            problems.add("schema-registry.url: required by `taskwatch " + command + "` (it starts no in-process "
                    + "registry); set it or TASKWATCH_SCHEMA_REGISTRY_URL, or use `taskwatch run`");
        }
        if (needsTargets && !config.targetsConfigured()) {
            problems.add("targets: `taskwatch " + command + "` needs at least one target (the built-in simulator "
                    + "runs only with `taskwatch run`; `taskwatch simulate` serves one that targets can point at)");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
