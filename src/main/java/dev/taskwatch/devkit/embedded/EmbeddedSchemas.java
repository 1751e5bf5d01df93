package dev.taskwatch.devkit.embedded;

import dev.taskwatch.model.Topics;
import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskKey;
import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.serde.AvroSchemas;
import dev.taskwatch.serde.SubjectNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/** Every schema taskwatch writes, registered up front in the in-process registry of the embedded environment. */
public final class EmbeddedSchemas {

    private EmbeddedSchemas() {}

    /**
     * Registers every schema taskwatch writes at start, so that the journal is complete before any other process
     * ({@code taskwatch watch}, {@code taskwatch events}) replays it: they then only read it, never append.
     */
    public static void registerAll(InProcessSchemaRegistry registry, Topics topics) {
        Map<String, Schema> values = new LinkedHashMap<>();
        values.put(topics.snapshots(), TaskSnapshot.getClassSchema());
        values.put(topics.events(), TaskEvent.getClassSchema());
        for (var type : Topics.PER_TYPE) {
            values.put(topics.eventsOf(type), TaskEvent.getClassSchema());
        }
        values.put(topics.watchRequests(), WatchRequest.getClassSchema());
        Schema key = AvroSchemas.withoutJavaProperties(TaskKey.getClassSchema());
        values.forEach((topic, value) -> {
            registry.register(SubjectNames.topicNameStrategy(topic, true), key);
            registry.register(SubjectNames.topicNameStrategy(topic, false), AvroSchemas.withoutJavaProperties(value));
        });
    }
}
