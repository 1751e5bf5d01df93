/**
 * The poller role: reads the task centers of the configured targets and publishes {@code TaskSnapshot}s.
 *
 * <p>A step of one target ({@link dev.taskwatch.poller.TargetPoller}) is one request and a chain of small stages:
 * build the request (the dialect), execute it ({@link dev.taskwatch.poller.TaskCenterClient}), classify the response
 * ({@link dev.taskwatch.poller.ResponsePolicy} into a {@link dev.taskwatch.poller.ResponseOutcome}), parse (the
 * dialect), publish ({@link dev.taskwatch.poller.SnapshotSink}) and only then remember what is still running. A cycle
 * (all pages of the window, then the watched ids) is a sequence of steps; the per-credential
 * {@link dev.taskwatch.poller.CredentialLane} decides which target's step spends the next request of the budget, and
 * {@link dev.taskwatch.poller.Poller} runs one lane per credential. After a complete listing the target's
 * {@link dev.taskwatch.poller.TargetPosition} goes to the {@link dev.taskwatch.poller.PositionSink}
 * ({@link dev.taskwatch.poller.KafkaPositionStore} standalone), so a restart resumes instead of re-reading 30 days.
 * Time ({@link java.time.Clock}), transport and randomness are injected so that tests run on a manual clock.
 *
 * <p>Get-by-id targets also poll the ids of the {@link dev.taskwatch.poller.WatchSet}, which
 * {@link dev.taskwatch.poller.KafkaWatchRequests} rebuilds from the compacted watch-requests topic on every start.
 */
package dev.taskwatch.poller;
