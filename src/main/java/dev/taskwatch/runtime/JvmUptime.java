package dev.taskwatch.runtime;

import java.lang.management.ManagementFactory;

/**
 * Milliseconds since this JVM started, for the start-up log lines: they show where a (re)start spends its time
 * (JVM and command line, embedded broker, components), which the wall-clock timestamps alone hide because the JVM's
 * own start precedes the first log line.
 */
public final class JvmUptime {

    private JvmUptime() {}

    public static long millis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }
}
