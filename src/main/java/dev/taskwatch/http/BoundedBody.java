package dev.taskwatch.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /** One daemon thread for the deadlines of all requests: it only closes streams. */
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    public static BoundedBody read(InputStream in, long maxBytes, long deadlineNanos) {
        if (in == null) {
            return new BoundedBody("", null, 0, null);
        }
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(in);
        }, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                if (body.size() + (long) n > maxBytes) {
                    closeQuietly(in);
                    return new BoundedBody(null, Problem.TOO_LARGE, body.size() + (long) n, null);
                }
                body.write(buffer, 0, n);
                if (expired.get()) {
                    break;
                }
            }
        } catch (IOException e) {
            if (!expired.get()) {
                return new BoundedBody(null, Problem.BROKEN, body.size(), e);
            }
        } finally {
            alarm.cancel(false);
        }
        if (expired.get()) {
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

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "taskwatch-http-deadline");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return Executors.unconfigurableScheduledExecutorService(executor);
    }
}
