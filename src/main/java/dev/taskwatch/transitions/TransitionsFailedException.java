package dev.taskwatch.transitions;

/** The transitions application stopped because of an error; the cause is the error a stream thread died of. */
public class TransitionsFailedException extends RuntimeException {

    public TransitionsFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
