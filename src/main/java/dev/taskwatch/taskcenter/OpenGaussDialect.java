package dev.taskwatch.taskcenter;

/**
 * GaussDB (openGauss) task center: {@code GET /v3/{project_id}/tasks}, a list of {@code tasks[]} with
 * {@code total_count}. Window as {@code start_time}/{@code end_time} in UNIX milliseconds (UTC); {@code limit}
 * 1..100; {@code offset} from 0. The API shows the last month only, so windows are held to 30 days like the others.
 * Task fields: {@code job_id}, {@code name}, {@code status}, {@code process} (progress), {@code fail_reason},
 * {@code created_at}, {@code ended_at}, {@code instance_info{instance_id,instance_name,instance_status}} (the only
 * service that reports the instance status).
 *
 * <p>Get-by-id: {@code GET /v3/{project_id}/jobs?id={id}} ({@code ShowJobDetail}), answering {@code {"job": {...}}}
 * in the DDS job shape ({@code created}/{@code ended}, {@code progress}, {@code instance{id,name}}), see
 * {@link TaskShape#OPENGAUSS_JOB}. It has no instance status, so its snapshots have none
 * ({@link #getCarriesInstanceStatus()} is false and the poller compares them with the status the list last showed). Verified in huaweicloud/huaweicloud-sdk-go-v3
 * {@code services/gaussdbforopengauss/v3/gaussDBforopenGauss_meta.go} ({@code GenReqDefForShowJobDetail}: GET
 * {@code /v3/{project_id}/jobs}, query field {@code id}) and {@code .../v3/model/model_show_job_detail_response.go}.
 * An unknown id is an error status; "not found" is decided by {@link ApiError#isJobNotFound} as for the others.
 *
 * <p>Both calls are spoken by {@link WindowedListDialect}, the list as {@link ListApi#OPENGAUSS} describes it.
 */
public final class OpenGaussDialect extends WindowedListDialect {

    public OpenGaussDialect() {
        super(Service.OPENGAUSS, ListApi.OPENGAUSS, TaskShape.OPENGAUSS_JOB);
    }
}
