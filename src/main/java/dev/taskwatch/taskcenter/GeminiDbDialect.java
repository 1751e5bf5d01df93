package dev.taskwatch.taskcenter;

/**
 * GeminiDB (GaussDB NoSQL) task center: {@code GET /v3/{project_id}/jobs}, a list of {@code jobs[]} with
 * {@code total_count}. Window as {@code start_time}/{@code end_time} in {@code yyyy-MM-dd'T'HH:mm:ssZ} (sent with a
 * {@code +0000} offset), at most 30 days, end after start; {@code limit} only 10, 20 or 50; {@code offset} from 0.
 * Task fields: {@code id}, {@code name}, {@code status}, {@code start_time} (creation), {@code end_time},
 * {@code progress}, {@code instance{id,name}}, {@code fail_reason}.
 *
 * <p>Get-by-id: no call of its own; the list call filtered by {@code id} ({@code GET /v3/{project_id}/jobs?id={id}},
 * without a window: the API defaults to the last 30 days) answers {@code {"jobs": [job], "total_count": 1}}, read as
 * {@code jobs[0]}; an empty {@code jobs} means "not found". Verified in huaweicloud/huaweicloud-sdk-go-v3
 * {@code services/gaussdbfornosql/v3/gaussDBforNoSQL_meta.go} ({@code GenReqDefForListJobs}: query field {@code id})
 * and {@code .../v3/model/model_list_jobs_request.go}, {@code model_list_jobs_response.go},
 * {@code model_job_detail.go}. An error status is "not found" by {@link ApiError#isJobNotFound}, as for the others.
 *
 * <p>Both calls are spoken by {@link WindowedListDialect}, the list as {@link ListApi#GEMINIDB} describes it.
 */
public final class GeminiDbDialect extends WindowedListDialect {

    public GeminiDbDialect() {
        super(Service.GEMINIDB, ListApi.GEMINIDB, null);
    }
}
