package dev.taskwatch.model;

import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.WatchRequest;

/** The one way to build the Kafka key of a task: the four fields that identify it, in the key schema's order. */
public final class TaskKeys {

    private TaskKeys() {}

    public static TaskKey of(String service, String region, String projectId, String taskId) {
        return new TaskKey(service, region, projectId, taskId);
    }

    /** The key of the task a snapshot describes. */
    public static TaskKey of(TaskSnapshot snapshot) {
        return of(snapshot.getService(), snapshot.getRegion(), snapshot.getProjectId(), snapshot.getTaskId());
    }

    /** The key of the task a watch request is about. */
    public static TaskKey of(WatchRequest watch) {
        return of(watch.getService(), watch.getRegion(), watch.getProjectId(), watch.getTaskId());
    }
}
