package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.util.List;

/**
 * One page of a list response.
 *
 * @param totalCount the API's {@code total_count}, or null when the response has none (DDS lists)
 */
public record TaskPage(List<TaskSnapshot> tasks, Integer totalCount) {}
