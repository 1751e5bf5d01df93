package dev.taskwatch.taskcenter.auth;

/** Authentication could not be obtained (IAM login refused or unreachable). Never carries a secret. */
public class AuthenticationException extends Exception {

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
