package dev.taskwatch.taskcenter;

/**
 * Which field of one JSON task object carries what; {@code name}, {@code status} and {@code fail_reason} are named
 * alike everywhere. The four services use five shapes (DDS lists and gets differ), each a constant here, so a dialect
 * says which shape it reads instead of branching on where it is in the document.
 *
 * @param id             the task id field
 * @param progress       the progress field ("14%", a number, "" or null)
 * @param created        the creation-time field
 * @param ended          the end-time field
 * @param instanceObject the object holding the instance fields, or null when they sit on the task itself
 * @param instanceId     the instance id field
 * @param instanceName   the instance name field
 * @param instanceStatus the instance status field, or null when the shape has none
 * @param entities       whether a task-specific {@code entities} object is flattened into {@code details}
 */
record TaskShape(String id, String progress, String created, String ended, String instanceObject, String instanceId,
        String instanceName, String instanceStatus, boolean entities) {

    /** GeminiDB list elements: creation in {@code start_time}, nested {@code instance{id,name}}. */
    static final TaskShape GEMINIDB_LIST = new TaskShape("id", "progress", "start_time", "end_time", "instance", "id",
            "name", null, false);

    /** openGauss list elements: {@code job_id}, progress in {@code process}, {@code instance_info{...}} with status. */
    static final TaskShape OPENGAUSS_LIST = new TaskShape("job_id", "process", "created_at", "ended_at",
            "instance_info", "instance_id", "instance_name", "instance_status", false);

    /** DDS list elements: flat {@code instance_id}/{@code instance_name}, {@code created_at}/{@code ended_at}. */
    static final TaskShape DDS_LIST = new TaskShape("id", "progress", "created_at", "ended_at", null, "instance_id",
            "instance_name", null, false);

    /** DDS get-by-id job: {@code created}/{@code ended}, nested {@code instance{id,name}}. */
    static final TaskShape DDS_JOB = new TaskShape("id", "progress", "created", "ended", "instance", "id", "name",
            null, false);

    /**
     * openGauss get-by-id job ({@code GET /v3/{project_id}/jobs?id=}): {@code {"job": JobDetail}} with
     * {@code id, name, status, created, ended, progress, instance{id,name}, fail_reason}, unlike its list elements
     * (huaweicloud/huaweicloud-sdk-go-v3 {@code services/gaussdbforopengauss/v3/model/model_job_detail.go},
     * {@code model_job_instance_info.go}, {@code model_show_job_detail_response.go}).
     */
    static final TaskShape OPENGAUSS_JOB = new TaskShape("id", "progress", "created", "ended", "instance", "id",
            "name", null, false);

    /**
     * RDS get-by-id job ({@code GET /v3/{project_id}/jobs?id=}, ListJobInfo): {@code {"job": {id, name, status,
     * created, ended, process, instance{id,name}, entities, fail_reason}}}, the TaurusDB shape (huaweicloud-sdk-go-v3
     * {@code services/rds/v3/model/model_get_job_info_response_body_job.go}, {@code GetJobInfoResponseBodyJob};
     * Open Telekom Cloud RDS API reference "Obtaining Task Information").
     */
    static final TaskShape RDS_JOB = new TaskShape("id", "process", "created", "ended", "instance", "id", "name",
            null, true);

    /** TaurusDB get-by-id job: like DDS's, progress in {@code process}, plus {@code entities}. */
    static final TaskShape TAURUSDB_JOB = new TaskShape("id", "process", "created", "ended", "instance", "id", "name",
            null, true);
}
