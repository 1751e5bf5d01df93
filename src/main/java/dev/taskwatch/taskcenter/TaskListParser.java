package dev.taskwatch.taskcenter;

import com.fasterxml.jackson.core.JsonToken;
import dev.taskwatch.avro.TaskSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parser of one list shape: a root object with the array {@code arrayField} of task elements of one
 * {@link TaskShape} and an optional {@code total_count}, in any order; other fields are skipped.
 */
final class TaskListParser {

    private final Service service;
    private final String arrayField;
    private final TaskReader reader;

    TaskListParser(Service service, String arrayField, TaskShape shape) {
        this.service = service;
        this.arrayField = arrayField;
        this.reader = new TaskReader(shape);
    }

    /** See {@link ListingDialect#parseList}. */
    TaskPage parse(Target target, String body, int limit, Instant observedAt, String source)
            throws MalformedResponseException {
        try (JsonBody json = JsonBody.open(service, body)) {
            List<TaskSnapshot> tasks = null;
            List<TaskReject> rejects = new ArrayList<>(0);
            Integer totalCount = null;
            while (json.next() == JsonToken.FIELD_NAME) {
                String field = json.name();
                json.next();
                if (field.equals(arrayField)) {
                    tasks = readArray(json, target, limit, observedAt, Normalisation.source(source), rejects);
                } else if (field.equals("total_count")) {
                    totalCount = count(json);
                } else {
                    json.skipValue();
                }
            }
            json.end();
            if (tasks == null) {
                // The SDK models mark the array omitempty (huaweicloud-sdk-go-v3 model_list_jobs_response.go,
                // model_list_tasks_response.go): an empty listing may be {"total_count": 0} alone. Without a count
                // saying so, a missing array is no listing at all (a wrong endpoint answering {} must not read as
                // "no tasks").
                if (totalCount == null || totalCount != 0) {
                    throw json.malformed(arrayField + " is missing");
                }
                tasks = new ArrayList<>(0);
            }
            return new TaskPage(tasks, rejects, totalCount);
        }
    }

    /**
     * A get-by-id answer in list form (GeminiDB: the list call filtered by {@code id}, read as the array's first
     * element): the task with {@code taskId}, or empty when the array is empty (no such task, or not yet visible).
     *
     * @throws TaskRejectedException      if the element with that id (or without a readable id) cannot be normalised
     * @throws MalformedResponseException if the body cannot be understood or holds only other tasks
     */
    Optional<TaskSnapshot> parseOne(Target target, String taskId, String body, int limit, Instant observedAt,
            String source) throws MalformedResponseException {
        TaskPage page = parse(target, body, limit, observedAt, source);
        String wanted = taskId.strip();
        for (TaskSnapshot task : page.tasks()) {
            if (task.getTaskId().equals(wanted)) {
                return Optional.of(task);
            }
        }
        for (TaskReject reject : page.rejects()) {
            if (reject.taskId() == null || reject.taskId().equals(wanted)) {
                throw new TaskRejectedException(service.id() + " response: " + reject.reason(), reject);
            }
        }
        if (page.elements() > 0) {
            throw new MalformedResponseException(service.id() + " response: " + arrayField + " holds "
                    + page.elements() + " task(s) but not '" + wanted + "', which was asked for by id");
        }
        return Optional.empty();
    }

    private List<TaskSnapshot> readArray(JsonBody json, Target target, int limit, Instant observedAt, String source,
            List<TaskReject> rejects) throws MalformedResponseException {
        if (json.token() == JsonToken.VALUE_NULL) {
            return new ArrayList<>(0);
        }
        if (json.token() != JsonToken.START_ARRAY) {
            throw json.malformed(arrayField + " is " + json.describe() + ", expected an array");
        }
        List<TaskSnapshot> tasks = new ArrayList<>(Math.min(limit, 128));
        int index = 0;
        while (json.next() != JsonToken.END_ARRAY) {
            if (index == limit) {
                // Stop here: a page longer than asked for is not a page of this API, and reading on would let one
                // answer fill the memory (a flood of 200k elements for limit=50).
                throw json.malformed(arrayField + " has more than the " + limit + " elements asked for (limit="
                        + limit + ")");
            }
            TaskReader.Element element = reader.read(json, arrayField, index, target, observedAt, source);
            if (element.task() != null) {
                tasks.add(element.task());
            } else {
                rejects.add(element.reject());
            }
            index++;
        }
        return tasks;
    }

    private Integer count(JsonBody json) throws MalformedResponseException {
        if (json.token() == JsonToken.VALUE_NULL) {
            return null;
        }
        Integer value = json.token() == JsonToken.VALUE_NUMBER_INT ? json.intValue() : null;
        if (value == null || value < 0) {
            String what = json.describe();
            throw json.malformed("total_count is " + what + ", expected a non-negative integer");
        }
        return value;
    }
}
