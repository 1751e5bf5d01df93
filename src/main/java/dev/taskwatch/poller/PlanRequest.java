package dev.taskwatch.poller;

import dev.taskwatch.avro.WatchRequest;
import dev.taskwatch.taskcenter.ListQuery;

/** A request of a {@link ListingPlan}: what the plan asks for, and what {@link RequestReader} sends. */
sealed interface PlanRequest permits PlanRequest.ListPage, PlanRequest.GetTask {

    Purpose purpose();

    /**
     * One page of a listing; {@code forTask} is the task it stands in for a get-by-id request for (a service without
     * get-by-id reads one task through the list API's one-second window around its creation time), else null.
     */
    record ListPage(Purpose purpose, ListQuery query, String forTask, boolean probe) implements PlanRequest {

        ListPage(Purpose purpose, ListQuery query) {
            this(purpose, query, null, false);
        }
    }

    /** One task by id; {@code watch} is the watch request when the id is watched, else null. */
    record GetTask(Purpose purpose, String taskId, WatchRequest watch) implements PlanRequest {}
}
