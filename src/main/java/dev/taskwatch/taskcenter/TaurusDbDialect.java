package dev.taskwatch.taskcenter;

import dev.taskwatch.avro.TaskSnapshot;
import java.time.Instant;
import java.util.Optional;

/**
 * TaurusDB (GaussDB for MySQL) task center: get-by-id only, {@code GET /mysql/v3/{project_id}/jobs?id={id}} (note
 * the {@code /mysql} prefix), answering {@code {"job": {...}}} with {@code created}/{@code ended}, progress in
 * {@code process}, a nested {@code instance{id,name}} and a task-specific {@code entities} object, flattened into
 * {@code details} as {@code entities.<path>} (arrays by index: {@code entities.resource_ids.0}). Statuses include
 * Pending, Canceled and Unauthorized besides Running/Completed/Failed; {@code created} may be empty while an
 * instance is being created.
 *
 * <p>The {@code /mysql} prefix is Open Telekom Cloud's; Huawei Cloud serves {@code /v3/{project_id}/jobs}
 * ({@link CloudProfile#pathPrefix}), so the dialect is made per cloud ({@link Dialects#of(Service, CloudProfile)}).
 */
public final class TaurusDbDialect extends AbstractDialect implements GetByIdDialect {

    private final JobParser jobParser = new JobParser(Service.TAURUSDB, TaskShape.TAURUSDB_JOB);
    private final String pathPrefix;

    /** Open Telekom Cloud's paths ({@code /mysql/v3/...}). */
    public TaurusDbDialect() {
        this(CloudProfile.OTC);
    }

    public TaurusDbDialect(CloudProfile cloud) {
        super(Service.TAURUSDB);
        this.pathPrefix = cloud.pathPrefix(Service.TAURUSDB);
    }

    @Override
    public ApiRequest getRequest(Target target, String taskId) {
        return jobsById(pathPrefix, target, taskId);
    }

    @Override
    public Optional<TaskSnapshot> parseGet(Target target, String taskId, String body, Instant observedAt,
            String source) throws MalformedResponseException {
        return parseJob(jobParser, target, taskId, body, observedAt, source);
    }

    @Override
    public boolean getCarriesInstanceStatus() {
        return jobParser.carriesInstanceStatus();
    }
}
