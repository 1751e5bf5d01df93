package dev.taskwatch.cli;

/** What the exit status of {@code taskwatch} means; scripts and service managers may rely on these. */
public final class ExitCodes {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** Something failed while running: a broker error, a bug, a task-center failure that is not the user's. */
    public static final int RUNTIME_FAILURE = 1;
    /** Bad command line, bad configuration or bad input value: fix the invocation, retrying will not help. */
    public static final int USAGE = 2;
    /** Kafka or the schema registry could not be reached: maybe retry later. */
    public static final int UNAVAILABLE = 3;
    /** {@code wait}: the task ended FAILED or CANCELED (the same value as a runtime failure, as shells expect). */
    public static final int TASK_FAILED = 1;
    /** {@code wait}: the task did not end within {@code --timeout} (as coreutils' timeout reports it). */
    public static final int TIMEOUT = 124;
    /** Interrupted (Ctrl-C, SIGINT): 128 + signal 2, as shells report it. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
