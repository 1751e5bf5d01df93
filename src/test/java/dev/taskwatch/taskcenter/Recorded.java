package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import dev.taskwatch.avro.TaskStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Recorded responses under src/test/resources/taskcenter/ and the targets they are parsed for. */
final class Recorded {

    static final Instant OBSERVED = Instant.parse("2026-11-24T12:00:00Z");

    private Recorded() {}

    static String body(String service, String file) {
        String name = "/taskcenter/" + service + "/" + file;
        try (InputStream in = Recorded.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("No test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Target target(Service service, String projectId) {
        return new Target(service.id() + "/eu-de/" + projectId, service, "eu-de", projectId,
                service.defaultEndpoint("eu-de"), "prod", Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofDays(7));
    }

    static String source(Target target, String pathAfterEndpoint) {
        return target.endpoint() + pathAfterEndpoint;
    }

    /** An expected snapshot; every field spelled out by the caller. */
    static TaskSnapshot.Builder expected(Target target, String taskId, String name, TaskStatus status, String raw) {
        return TaskSnapshot.newBuilder()
                .setService(target.service().id())
                .setRegion(target.region())
                .setProjectId(target.projectId())
                .setTaskId(taskId)
                .setName(name)
                .setStatus(status)
                .setRawStatus(raw)
                .setProgressPercent(null)
                .setCreatedAt(null)
                .setEndedAt(null)
                .setInstanceId(null)
                .setInstanceName(null)
                .setInstanceStatus(null)
                .setFailReason(null)
                .setDetails(Map.of())
                .setObservedAt(OBSERVED);
    }

    static URI endpoint(Service service) {
        return service.defaultEndpoint("eu-de");
    }
}
