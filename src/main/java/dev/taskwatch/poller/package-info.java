/**
 * The poller role: reads the task centers of the configured targets and publishes {@code TaskSnapshot}s.
 *
 * <p>A cycle of one target ({@link dev.taskwatch.poller.TargetPoller}) is a chain of small stages: wait for the
 * credential's {@link dev.taskwatch.poller.TokenBucket}, build the request (the dialect), execute it
 * ({@link dev.taskwatch.poller.TaskCenterHttp}), classify the response ({@link dev.taskwatch.poller.ResponsePolicy}
 * into a {@link dev.taskwatch.poller.ResponseOutcome}), parse (the dialect), publish
 * ({@link dev.taskwatch.poller.SnapshotSink}) and only then remember what is still running. A cycle returns the delay
 * before the next one (fast interval, slow interval, backoff or Retry-After) and {@link dev.taskwatch.poller.Poller}
 * schedules it on the target's own lane of a {@link dev.taskwatch.poller.Scheduler}; nothing sleeps for backoff.
 * Time ({@link java.time.Clock}), waiting ({@link dev.taskwatch.poller.Sleeper}), scheduling and randomness are
 * injected so that tests run on a manual clock.
 *
 * <p>Get-by-id targets also poll the ids of the {@link dev.taskwatch.poller.WatchSet}, which
 * {@link dev.taskwatch.poller.KafkaWatchRequests} rebuilds from the compacted watch-requests topic on every start.
 */
package dev.taskwatch.poller;
