package dev.taskwatch;

/**
 * The one setting taskwatch needs on the JDK's {@code com.sun.net.httpserver} (simulator, ops endpoints): send
 * without Nagle's algorithm. The server writes response headers and body as separate small segments, so with Nagle
 * on each answer waits for the client's delayed ACK, about 40 ms per request: it made a poller against the simulator
 * twenty times slower than the simulator itself and hid the poller's own cost in the benchmarks.
 *
 * <p>The JDK reads the property once, when the first server of the JVM is created, so {@link #sendWithoutDelay()}
 * must run before that: the process entry point calls it, and the simulator as a fallback for programmatic use. An
 * explicit {@code -Dsun.net.httpserver.nodelay=...} is left alone.
 */
public final class JdkHttpServers {

    public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    /** Seconds a client may take to send a whole request; the JDK default is forever. */
    public static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
    /** Seconds a client may take to receive a whole response; the JDK default is forever. */
    public static final String MAX_RESPONSE_TIME_PROPERTY = "sun.net.httpserver.maxRspTime";
    public static final int MAX_REQUEST_SECONDS = 10;
    public static final int MAX_RESPONSE_SECONDS = 30;

    private JdkHttpServers() {}

    public static void sendWithoutDelay() {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    /**
     * The read (and write) timeout of the JDK server, which has none by default: a client that sends half a request
     * and holds the connection would hold a server thread for ever (the ops port's liveness probe stalled behind
     * two of them). Like the no-Nagle setting it is read once per JVM, at the first server; the entry point and the
     * ops server call this. An explicit {@code -Dsun.net.httpserver.maxReqTime=...} is left alone.
     */
    public static void limitRequestTime() {
        if (System.getProperty(MAX_REQUEST_TIME_PROPERTY) == null) {
            System.setProperty(MAX_REQUEST_TIME_PROPERTY, String.valueOf(MAX_REQUEST_SECONDS));
        }
        if (System.getProperty(MAX_RESPONSE_TIME_PROPERTY) == null) {
            System.setProperty(MAX_RESPONSE_TIME_PROPERTY, String.valueOf(MAX_RESPONSE_SECONDS));
        }
    }
}
