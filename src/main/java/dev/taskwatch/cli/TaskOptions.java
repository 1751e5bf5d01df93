package dev.taskwatch.cli;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.taskcenter.Service;
import java.util.List;
import picocli.CommandLine.Option;

/** The options naming one task ({@code watch}, {@code wait}), and the {@link TaskKey} they give once checked. */
public final class TaskOptions {

    @Option(names = "--service", required = true, paramLabel = "S",
            description = "Service id: geminidb, opengauss, dds, taurusdb, rds.")
    String service;

    @Option(names = "--region", required = true, paramLabel = "R", description = "Region, e.g. eu-de.")
    String region;

    @Option(names = "--project", required = true, paramLabel = "P", description = "Project id.")
    String project;

    @Option(names = "--task-id", required = true, paramLabel = "ID", description = "Task (job) id.")
    String taskId;

    /** @throws UserInputException naming the option when the service is unknown or a value is blank */
    TaskKey key() {
        service();
        for (String[] option : List.of(new String[] {"--region", region}, new String[] {"--project", project},
                new String[] {"--task-id", taskId})) {
            if (option[1].isBlank()) {
                throw new UserInputException(option[0] + " must not be blank");
            }
        }
        return TaskKey.newBuilder().setService(service).setRegion(region).setProjectId(project).setTaskId(taskId)
                .build();
    }

    Service service() {
        try {
            return Service.fromId(service);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--service: " + e.getMessage());
        }
    }

    /** {@code service/region/project/task-id}, as messages name a task. */
    @Override
    public String toString() {
        return service + "/" + region + "/" + project + "/" + taskId;
    }
}
