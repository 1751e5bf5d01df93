package dev.taskwatch.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Switches the stderr log lines between {@code text} and {@code json} ({@code logging.format}). logback.xml starts
 * with the format of {@code TASKWATCH_LOGGING_FORMAT}; the config file is read later, so its value is applied here by
 * replacing the root logger's stderr appender with one of the other format (same pattern / encoder settings as
 * logback.xml). A no-op when Logback is not the SLF4J backend (tests with another binding).
 */
public final class LogFormat {

    /** The text pattern of logback.xml: with the date, since logs outlive the day they were written. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg%n";

    private LogFormat() {}

    /** Makes the root logger write {@code format} ({@code text} or {@code json}) to stderr. */
    public static synchronized void apply(String format) {
        // Anything but json is text: an unknown value is reported by the config binder, not by losing the logs.
        String wanted = format != null && format.trim().toLowerCase(Locale.ROOT).equals("json") ? "json" : "text";
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (wanted.equals(it.next().getName())) {
                return;
            }
        }
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(wanted);
        appender.setTarget("System.err");
        appender.setEncoder(encoder(wanted, context));
        appender.start();
        // Add before removing: no line is dropped in between (one may be written in both formats).
        root.addAppender(appender);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> other = it.next();
            if (other != appender && other instanceof ConsoleAppender<ILoggingEvent>) {
                root.detachAppender(other);
                other.stop();
            }
        }
    }

    private static Encoder<ILoggingEvent> encoder(String format, LoggerContext context) {
        if ("json".equals(format)) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }
}
