package dev.taskwatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * The base of the commands that are Kafka clients of a running deployment ({@code events}, {@code wait},
 * {@code watch}): the Kafka options and the common ones, with the {@code --config} file read into the Kafka options
 * before the command runs. Picocli reads the options of this class's fields in every subclass.
 */
abstract class KafkaClientCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    CommonOptions common;

    @Override
    public final Integer call() throws Exception {
        kafka.useConfigFile(common);
        return run();
    }

    /** The command, once the Kafka options hold the configuration file's values. */
    abstract Integer run() throws Exception;
}
