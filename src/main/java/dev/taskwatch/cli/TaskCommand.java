package dev.taskwatch.cli;

import picocli.CommandLine.Mixin;

/** The base of the commands about one task ({@code watch}, {@code wait}): the options naming it, on Kafka. */
abstract class TaskCommand extends KafkaClientCommand {

    @Mixin
    TaskOptions task;
}
