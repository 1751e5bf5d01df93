package dev.taskwatch.transitions;

/** A snapshot record that deserialized but cannot be processed (missing key fields, no key, key/value mismatch). */
public class InvalidSnapshotException extends RuntimeException {

    public InvalidSnapshotException(String message) {
        super(message);
    }
}
