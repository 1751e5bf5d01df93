package dev.taskwatch.taskcenter;

import com.fasterxml.jackson.core.JsonToken;
import dev.taskwatch.avro.TaskSnapshot;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one task element of a {@link TaskShape} from the streaming parser into a snapshot, or into a
 * {@link TaskReject} when the element cannot be read or normalised. A bad field does not stop the reading: the rest
 * of the element is consumed, so the parser stays on the document's structure and the next element can be read.
 * Only invalid JSON (which leaves no structure to resume on) fails the document.
 */
final class TaskReader {

    private final TaskShape shape;

    TaskReader(TaskShape shape) {
        this.shape = shape;
    }

    /** The outcome of one element: exactly one of {@code task} and {@code reject} is set. */
    record Element(TaskSnapshot task, TaskReject reject) {}

    /**
     * A JSON path for messages, e.g. {@code jobs[3]} or {@code job.instance}, built only when a message needs it
     * (most elements are fine, and the strings would cost a share of the poller's time).
     */
    private record Path(Object parent, String field, int index) {
        static Path element(String container, int index) {
            return new Path(null, container, index);
        }

        Path child(String name) {
            return new Path(this, name, -1);
        }

        @Override
        public String toString() {
            String own = index < 0 ? field : field + "[" + index + "]";
            return parent == null ? own : parent + "." + own;
        }
    }

    /**
     * Reads the element the parser is on (any token: a non-object is rejected) and leaves the parser on its last
     * token.
     *
     * @param container the array or field holding the element, e.g. {@code jobs} or {@code job}
     * @param index     the element's index in the array, or -1 for the single job of a get-by-id answer
     * @param source    the snapshot's source, already without query and credentials ({@link Normalisation#source})
     */
    Element read(JsonBody json, String container, int index, Target target, Instant observedAt, String source)
            throws MalformedResponseException {
        Path path = Path.element(container, index);
        long start = json.tokenStart();
        if (json.token() != JsonToken.START_OBJECT) {
            String what = json.describe();
            json.skipValue();
            return new Element(null, new TaskReject(null, path + " is " + what + ", expected an object",
                    json.raw(start, json.tokenEnd(), TaskReject.MAX_EXCERPT)));
        }
        Fields f = new Fields();
        while (json.next() == JsonToken.FIELD_NAME) {
            String field = json.name();
            json.next();
            try {
                readField(json, path, field, f);
            } catch (FieldProblem p) {
                if (f.problem == null) {
                    f.problem = p.getMessage();
                }
            }
        }
        String reason = f.problem != null ? f.problem : missing(path, f);
        TaskSnapshot snapshot = null;
        if (reason == null) {
            Normalisation.RawTask raw = new Normalisation.RawTask(f.id, f.name, f.status, f.progress, shape.progress(),
                    f.created, shape.created(), f.ended, shape.ended(), f.instanceId, f.instanceName,
                    f.instanceStatus, f.failReason, f.details == null ? Map.of() : f.details);
            try {
                snapshot = Normalisation.snapshot(target, raw, observedAt, source);
            } catch (IllegalArgumentException e) {
                reason = path + "." + e.getMessage();
            }
        }
        if (reason != null) {
            String id = f.id == null || f.id.isBlank() ? null : f.id.strip();
            return new Element(null, new TaskReject(id, reason,
                    json.raw(start, json.tokenEnd(), TaskReject.MAX_EXCERPT)));
        }
        return new Element(snapshot, null);
    }

    private void readField(JsonBody json, Path path, String field, Fields f)
            throws MalformedResponseException, FieldProblem {
        if (field.equals(shape.id())) {
            f.id = string(json, path, field);
        } else if (field.equals("name")) {
            f.name = string(json, path, field);
        } else if (field.equals("status")) {
            f.status = string(json, path, field);
        } else if (field.equals(shape.progress())) {
            JsonToken t = json.token();
            f.progress = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT ? json.text()
                    : string(json, path, field);
        } else if (field.equals(shape.created())) {
            f.created = string(json, path, field);
        } else if (field.equals(shape.ended())) {
            f.ended = string(json, path, field);
        } else if (field.equals("fail_reason")) {
            f.failReason = string(json, path, field);
        } else if (shape.instanceObject() == null && field.equals(shape.instanceId())) {
            f.instanceId = string(json, path, field);
        } else if (shape.instanceObject() == null && field.equals(shape.instanceName())) {
            f.instanceName = string(json, path, field);
        } else if (field.equals(shape.instanceObject())) {
            readInstance(json, path.child(field), f);
        } else if (shape.entities() && field.equals("entities")) {
            readEntities(json, path.child(field), f);
        } else {
            json.skipValue();
        }
    }

    private void readInstance(JsonBody json, Path path, Fields f) throws MalformedResponseException, FieldProblem {
        if (json.token() == JsonToken.VALUE_NULL) {
            return;
        }
        if (json.token() != JsonToken.START_OBJECT) {
            throw mistyped(json, path, "an object");
        }
        FieldProblem first = null;
        while (json.next() == JsonToken.FIELD_NAME) {
            String field = json.name();
            json.next();
            try {
                if (field.equals(shape.instanceId())) {
                    f.instanceId = string(json, path, field);
                } else if (field.equals(shape.instanceName())) {
                    f.instanceName = string(json, path, field);
                } else if (field.equals(shape.instanceStatus())) {
                    f.instanceStatus = string(json, path, field);
                } else {
                    json.skipValue();
                }
            } catch (FieldProblem p) {
                first = first == null ? p : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void readEntities(JsonBody json, Path path, Fields f)
            throws MalformedResponseException, FieldProblem {
        if (json.token() == JsonToken.VALUE_NULL) {
            return;
        }
        if (json.token() != JsonToken.START_OBJECT) {
            throw mistyped(json, path, "an object");
        }
        f.details = new TreeMap<>();
        flatten(json, "entities", f.details);
    }

    /**
     * Flattens the value the parser is on into {@code out} under {@code prefix}: objects by {@code .key}, arrays by
     * {@code .index}; scalars as their text; nulls and empty containers leave nothing.
     */
    private static void flatten(JsonBody json, String prefix, Map<String, String> out)
            throws MalformedResponseException {
        JsonToken t = json.token();
        if (t == JsonToken.START_OBJECT) {
            while (json.next() == JsonToken.FIELD_NAME) {
                String key = json.name();
                json.next();
                flatten(json, prefix + "." + key, out);
            }
        } else if (t == JsonToken.START_ARRAY) {
            for (int i = 0; json.next() != JsonToken.END_ARRAY; i++) {
                flatten(json, prefix + "." + i, out);
            }
        } else if (t != JsonToken.VALUE_NULL) {
            out.put(prefix, json.text());
        }
    }

    /** A string or null; anything else is a problem (after skipping it, so the reading can go on). */
    private static String string(JsonBody json, Path path, String field)
            throws MalformedResponseException, FieldProblem {
        JsonToken t = json.token();
        if (t == JsonToken.VALUE_STRING) {
            return json.text();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw mistyped(json, path.child(field), "a string");
    }

    private static FieldProblem mistyped(JsonBody json, Path path, String expected)
            throws MalformedResponseException {
        FieldProblem problem = new FieldProblem(path + " is " + json.describe() + ", expected " + expected);
        json.skipValue();
        return problem;
    }

    private String missing(Path path, Fields f) {
        if (f.id == null) {
            return path.child(shape.id()) + " is missing";
        }
        if (f.id.isBlank()) {
            return path.child(shape.id()) + " is blank";
        }
        if (f.name == null) {
            return path.child("name") + " is missing";
        }
        if (f.status == null) {
            return path.child("status") + " is missing";
        }
        if (f.status.isBlank()) {
            return path.child("status") + " is blank";
        }
        return null;
    }

    /** What one element said so far. */
    private static final class Fields {
        String id;
        String name;
        String status;
        String progress;
        String created;
        String ended;
        String instanceId;
        String instanceName;
        String instanceStatus;
        String failReason;
        Map<String, String> details;
        String problem;
    }

    /** A field that cannot be read; the element becomes a reject. No stack trace: it is an expected outcome. */
    private static final class FieldProblem extends Exception {
        FieldProblem(String message) {
            super(message, null, false, false);
        }
    }
}
