package dev.taskwatch.devkit.embedded;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Sends the log of the embedded broker (its server-side packages, not the Kafka clients of taskwatch) to a file in its
 * data directory instead of stderr. A broker that halts the JVM (full disk) logs a long stack trace first; on stderr
 * the user should see one taskwatch line ({@link BrokerHalt}) that names this file for the details. The levels stay
 * those of the logback configuration ({@code TASKWATCH_KAFKA_LOG_LEVEL}, WARN by default).
 */
final class BrokerLog {

    /** The file in the broker's data directory. */
    static final String FILE = "broker.log";

    /** Server-side logger roots of Kafka: Scala {@code kafka.*}, the state-change log and the Java server modules. */
    static final List<String> BROKER_LOGGERS = List.of("kafka", "state.change.logger", "org.apache.kafka.server",
            "org.apache.kafka.storage", "org.apache.kafka.raft", "org.apache.kafka.controller",
            "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.snapshot",
            "org.apache.kafka.coordinator", "org.apache.kafka.queue", "org.apache.kafka.network",
            "org.apache.kafka.security", "org.apache.kafka.timeline");

    private BrokerLog() {}

    /**
     * Redirects the broker loggers to {@code file} (appending). Does nothing when logback is not the logging backend
     * (e.g. an embedding application chose another): then its own configuration decides.
     *
     * @return whether the broker log now goes to {@code file}
     */
    static boolean redirect(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return false;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("taskwatch-embedded-broker");
        appender.setFile(file.toAbsolutePath().toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            return false; // logback reported why on its status list; stderr keeps the broker log
        }
        for (String name : BROKER_LOGGERS) {
            Logger logger = context.getLogger(name);
            logger.addAppender(appender);
            logger.setAdditive(false);
        }
        routeBrokerThreads(context, appender);
        return true;
    }

    /**
     * Whether a log event comes from a thread of the embedded broker: it also runs Kafka client code (its channels to
     * the controller), whose loggers ({@code org.apache.kafka.clients}) are shared with taskwatch's own clients, so the
     * logger name cannot tell them apart. Taskwatch's threads are named {@code taskwatch-*}, its clients' threads
     * {@code kafka-producer-network-thread | ...} and the like.
     */
    static boolean brokerThread(String thread) {
        return thread != null && (thread.startsWith("kafka-cluster-test-kit") || thread.startsWith("broker-")
                || thread.startsWith("controller-"));
    }

    /** Client-package events of the broker's threads go to the broker file instead of stderr. */
    private static void routeBrokerThreads(LoggerContext context, FileAppender<ILoggingEvent> file) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.iteratorForAppenders().forEachRemaining(console -> console.addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return brokerThread(event.getThreadName()) ? FilterReply.DENY : FilterReply.NEUTRAL;
            }
        }));
        FileAppender<ILoggingEvent> brokerThreads = file;
        Filter<ILoggingEvent> onlyBrokerThreads = new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return brokerThread(event.getThreadName()) ? FilterReply.NEUTRAL : FilterReply.DENY;
            }
        };
        onlyBrokerThreads.start();
        // a second appender on the same file, filtered: the first one must keep every broker-logger event
        FileAppender<ILoggingEvent> routed = new FileAppender<>();
        routed.setContext(context);
        routed.setName("taskwatch-embedded-broker-threads");
        routed.setFile(brokerThreads.getFile());
        routed.setAppend(true);
        routed.setEncoder(brokerThreads.getEncoder());
        routed.addFilter(onlyBrokerThreads);
        routed.start();
        if (routed.isStarted()) {
            root.addAppender(routed);
        }
    }
}
