package dev.taskwatch.poller;

import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.Target;
import dev.taskwatch.taskcenter.auth.AuthenticationException;
import dev.taskwatch.taskcenter.auth.Authenticator;

/**
 * Sends one task-center request. {@link TaskCenterHttp} in production; scheduler tests answer in memory so that hours
 * of a manual clock and thousands of targets run in a second.
 */
@FunctionalInterface
public interface TaskCenterClient {

    /** Sends {@code request} to {@code target}; any HTTP status is a response, only a missing one is an exception. */
    ApiResponse execute(Target target, ApiRequest request, Authenticator authenticator)
            throws TransportException, AuthenticationException;
}
