package dev.taskwatch.cli;

import dev.taskwatch.runtime.EventFormat;
import dev.taskwatch.runtime.EventPrinter;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskwatch events}: prints the events of the event topic, as text for people or as JSON lines. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Prints task events from the event topic (read_committed), one per line on stdout.",
            "Without --follow it stops at the end of the topic as it was at start."})
public final class EventsCommand extends KafkaClientCommand {

    @Option(names = "--format", paramLabel = "text|jsonl|cloudevents", defaultValue = "text",
            description = "text: one aligned line per event for people; jsonl: one JSON object per line; "
                    + "cloudevents: one structured-mode CloudEvent (JSON) per line, for log shippers "
                    + "(default: ${DEFAULT-VALUE}).")
    EventFormat format;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
    boolean follow;

    @Option(names = "--from-beginning", description = "Start with the oldest retained event instead of the end.")
    boolean fromBeginning;

    @Override
    Integer run() throws Exception {
        Map<String, Object> clientProperties = kafka.clientProperties();
        EventPrinter.Builder builder = EventPrinter.builder(clientProperties, kafka.serdeConfig(),
                kafka.topics().events()).format(format).out(common.out()).stopAtEnd(!follow);
        // -X default.api.timeout.ms=N also bounds the wait for the topic's metadata (default 15 s)
        Object apiTimeout = clientProperties.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        if (apiTimeout != null) {
            builder.metadataTimeout(Duration.ofMillis(Long.parseLong(apiTimeout.toString())));
        }
        EventPrinter printer = (fromBeginning ? builder.fromBeginning() : builder.fromEnd()).build();
        Thread stopOnSignal = new Thread(printer::close, "taskwatch-events-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        try {
            printer.run();
        } finally {
            removeHook(stopOnSignal);
        }
        return ExitCodes.OK;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running
        }
    }
}
