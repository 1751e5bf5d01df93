package dev.taskwatch.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A response body read with two bounds: at most {@code maxBytes} (a larger body is abandoned as soon as the limit
 * is crossed, never buffered whole) and a deadline for the whole exchange. The JDK client's request timeout ends
 * when the response headers arrive, so a server sending one byte every half second would hold a target forever; at
 * the deadline a watchdog closes the stream, which unblocks the read and drops the connection.
 *
 * @param text     the body (UTF-8), or null when a bound was hit
 * @param problem  null when the body was read completely
 * @param bytesRead bytes read before stopping
 */
public record BoundedBody(String text, Problem problem, long bytesRead, IOException failure) {

    public enum Problem { TOO_LARGE, TIMED_OUT, BROKEN }

    /** Read size and the body buffer's first size: a page of the largest dialect fits without regrowing much. */
    private static final int BUFFER_SIZE = 16 * 1024;

    public static BoundedBody read(InputStream in, long maxBytes, long deadlineNanos) {
        if (in == null) {
            return new BoundedBody("", null, 0, null);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(BUFFER_SIZE);
        byte[] buffer = new byte[BUFFER_SIZE];
        ReadDeadlines.Deadline alarm = ReadDeadlines.watch(in, deadlineNanos);
        try {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                if (body.size() + (long) n > maxBytes) {
                    closeQuietly(in);
                    return new BoundedBody(null, Problem.TOO_LARGE, body.size() + (long) n, null);
                }
                body.write(buffer, 0, n);
                if (alarm.expired()) {
                    break;
                }
            }
        } catch (IOException e) {
            if (!alarm.expired()) {
                return new BoundedBody(null, Problem.BROKEN, body.size(), e);
            }
        } finally {
            alarm.close();
        }
        if (alarm.expired()) {
            return new BoundedBody(null, Problem.TIMED_OUT, body.size(), null);
        }
        closeQuietly(in);
        return new BoundedBody(body.toString(StandardCharsets.UTF_8), null, body.size(), null);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            // closing to abandon the exchange; nothing left to do with a failure here
        }
    }
}
