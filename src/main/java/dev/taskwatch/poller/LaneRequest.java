package dev.taskwatch.poller;

/**
 * A request of a credential that belongs to no target, such as a discovery call to IAM or an instance list: queued
 * with {@link Poller#submit} and run on the credential's lane, one slot like any target's request.
 */
public interface LaneRequest {

    /** Sends the request (or decides not to); returns whether one was sent. Runs on the lane's thread: keep it short. */
    boolean run();

    /** The budget tag it is counted under ({@code taskwatch.poller.budget.requests{purpose}}). */
    default String purpose() {
        return "discovery";
    }
}
