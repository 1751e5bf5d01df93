package dev.taskwatch.runtime;

/** An event record that cannot be decoded (not a registry outage): reported with its place, never skipped. */
public final class UndecodableEventException extends RuntimeException {

    public UndecodableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
