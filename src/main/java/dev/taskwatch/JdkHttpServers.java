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

    private JdkHttpServers() {}

    public static void sendWithoutDelay() {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }
}
