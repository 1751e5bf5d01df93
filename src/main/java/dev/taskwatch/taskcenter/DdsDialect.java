package dev.taskwatch.taskcenter;

/**
 * DDS (document database) task center, both calls on {@code GET /v3/{project_id}/jobs}:
 * <ul>
 *   <li>list: {@code start_time} and {@code end_time} are mandatory ({@code yyyy-MM-dd'T'HH:mm:ssZ}, sent with
 *       {@code +0000}), end after start, at most 30 days apart; {@code limit} 1..100; {@code offset} is documented as
 *       "a positive integer" with default 0, so it is left out for the first page, which every reading of that sentence
 *       accepts (Terraform sends {@code offset=0}, and the simulator accepts both). The response has {@code jobs[]}
 *       with flat {@code instance_id}/{@code instance_name}, {@code created_at}/{@code ended_at}, and often no
 *       {@code total_count}.</li>
 *   <li>get-by-id: {@code ?id=} only, answering {@code {"job": {...}}} with {@code created}/{@code ended} and a
 *       nested {@code instance{id,name}}. A job created a moment ago may answer "not found" for a few seconds.</li>
 * </ul>
 *
 * <p>Both calls are spoken by {@link WindowedListDialect}, the list as {@link ListApi#dds} describes it.
 */
public final class DdsDialect extends WindowedListDialect {

    /** Open Telekom Cloud's paths. */
    public DdsDialect() {
        this(CloudProfile.OTC);
    }

    /** The list under {@code /<}{@link CloudProfile#ddsListVersion() version}{@code >/{project_id}/jobs}. */
    public DdsDialect(CloudProfile cloud) {
        super(Service.DDS, ListApi.dds(cloud), TaskShape.DDS_JOB);
    }
}
