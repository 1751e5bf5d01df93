package dev.taskwatch.transitions;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * Opens the task-state store's files on the calling thread. RocksDB's default ({@code max_file_opening_threads} = 16)
 * starts and joins 15 threads every time it loads table files: at every store open (six per start-up with six input
 * partitions, one after the other on the stream thread), every column-family creation and every flush. The task-state
 * stores hold a few SST files each (about 65 bytes per tracked task), so the threads buy nothing and their creation is
 * a measurable share of start-up on a small, busy machine (docs/benchmarks.md, section 1).
 */
public final class SingleThreadedFileOpening implements RocksDBConfigSetter {

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setMaxFileOpeningThreads(1);
    }

    @Override
    public void close(String storeName, Options options) {
        // nothing allocated
    }
}
