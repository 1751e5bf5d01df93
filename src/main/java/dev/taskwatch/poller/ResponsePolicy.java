package dev.taskwatch.poller;

/** Maps a task-center response to what the poller does with it. */
public interface ResponsePolicy {

    /**
     * @param getById whether the response answers a get-by-id request (only those can be {@link ResponseOutcome#NOT_FOUND})
     * @param notFound the dialect's "no such task" test, consulted only for get-by-id responses
     */
    ResponseOutcome classify(ApiResponse response, boolean getById, NotFoundTest notFound);

    @FunctionalInterface
    interface NotFoundTest {
        boolean isNotFound(int status, String body);
    }
}
