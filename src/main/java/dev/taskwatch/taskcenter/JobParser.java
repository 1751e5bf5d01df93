package dev.taskwatch.taskcenter;

import com.fasterxml.jackson.core.JsonToken;
import dev.taskwatch.avro.TaskSnapshot;
import java.time.Instant;
import java.util.Optional;

/**
 * The parser of one get-by-id shape: a root object {@code {"job": {...}}} whose job is of one {@link TaskShape};
 * other root fields are skipped.
 */
final class JobParser {

    private final Service service;
    private final TaskReader reader;
    private final boolean carriesInstanceStatus;

    JobParser(Service service, TaskShape shape) {
        this.service = service;
        this.reader = new TaskReader(shape);
        this.carriesInstanceStatus = shape.instanceStatus() != null;
    }

    /** See {@link GetByIdDialect#getCarriesInstanceStatus}. */
    boolean carriesInstanceStatus() {
        return carriesInstanceStatus;
    }

    /** See {@link GetByIdDialect#parseGet}. */
    Optional<TaskSnapshot> parse(Target target, String taskId, String body, Instant observedAt, String source)
            throws MalformedResponseException {
        try (JsonBody json = JsonBody.open(service, body)) {
            TaskReader.Element job = null;
            while (json.next() == JsonToken.FIELD_NAME) {
                String field = json.name();
                json.next();
                if (!field.equals("job") || json.token() == JsonToken.VALUE_NULL) {
                    json.skipValue();
                } else if (json.token() != JsonToken.START_OBJECT) {
                    throw json.malformed("job is " + json.describe() + ", expected an object");
                } else {
                    job = reader.read(json, "job", -1, target, observedAt, Normalisation.source(source));
                }
            }
            json.end();
            if (job == null) {
                return Optional.empty();
            }
            if (job.reject() != null) {
                throw new TaskRejectedException(json.malformed(job.reject().reason()).getMessage(), job.reject());
            }
            if (!job.task().getTaskId().equals(taskId.strip())) {
                throw json.malformed("job.id is '" + job.task().getTaskId() + "' but task '" + taskId
                        + "' was asked for");
            }
            return Optional.of(job.task());
        }
    }
}
