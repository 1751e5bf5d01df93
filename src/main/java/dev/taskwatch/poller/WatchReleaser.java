package dev.taskwatch.poller;

import dev.taskwatch.avro.TaskKey;

/** Releases a watched id: produces the tombstone for its key on the watch-requests topic. */
@FunctionalInterface
public interface WatchReleaser {

    /** Returns once the tombstone is acknowledged. */
    void release(TaskKey key) throws SinkUnavailableException;
}
