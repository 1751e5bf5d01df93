package dev.taskwatch.taskcenter;

/**
 * A task element of a response that could not be read or normalised, kept so that the rest of the response still
 * counts and the bad element can be dead-lettered.
 *
 * @param taskId  the element's id when it was readable, else null
 * @param reason  what is wrong, naming the JSON path, e.g. {@code jobs[3].status is missing}
 * @param excerpt the element's raw JSON text, cut at {@link #MAX_EXCERPT} characters (a response carries no
 *                credential, and the cut bounds what one hostile element can make us store)
 */
public record TaskReject(String taskId, String reason, String excerpt) {

    public static final int MAX_EXCERPT = 2048;

    public TaskReject {
        if (excerpt.length() > MAX_EXCERPT) {
            excerpt = excerpt.substring(0, MAX_EXCERPT);
        }
    }
}
