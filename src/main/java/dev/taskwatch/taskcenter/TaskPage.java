package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.util.List;

/**
 * One page of a list response.
 *
 * @param tasks      the elements that were read
 * @param rejects    the elements that could not be read, in page order
 * @param totalCount the API's {@code total_count}, or null when the response has none (DDS lists)
 */
public record TaskPage(List<TaskSnapshot> tasks, List<TaskReject> rejects, Integer totalCount) {

    public TaskPage {
        tasks = List.copyOf(tasks);
        rejects = List.copyOf(rejects);
    }

    public TaskPage(List<TaskSnapshot> tasks, Integer totalCount) {
        this(tasks, List.of(), totalCount);
    }

    /** How many elements the page had, read or not: what paging offsets advance by. */
    public int elements() {
        return tasks.size() + rejects.size();
    }
}
