package dev.taskwatch.cli;

import dev.taskwatch.Causes;
import dev.taskwatch.runtime.KafkaUnavailableException;
import dev.taskwatch.serde.SchemaRegistryUnavailableException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one place that turns an exception escaping a command into an exit code and a short message on stderr
 * (kcctl style: "Couldn't connect to Kafka at localhost:9092."). The stack trace is printed only with
 * {@code --verbose}.
 *
 * <p>The cause chain is walked from the outermost exception inwards; at each level the rules are tried in order
 * (rules added with {@link #map} first, then the built-in ones) and the first match decides. When nothing matches,
 * the exit code is {@link ExitCodes#RUNTIME_FAILURE} and the message is that of the outermost taskwatch exception in
 * the chain (it carries our context), else that of the root cause.
 */
public final class FailureHandler implements CommandLine.IExecutionExceptionHandler {

    /** An exit code and the lines to print on stderr (one per problem). */
    public record Failure(int exitCode, List<String> lines) {

        public Failure {
            lines = List.copyOf(lines);
        }

        public static Failure of(int exitCode, String line) {
            return new Failure(exitCode, List.of(line));
        }

        public static Failure usage(List<String> problems) {
            return new Failure(ExitCodes.USAGE, problems);
        }
    }

    private record Rule<T extends Throwable>(Class<T> type, Function<? super T, Failure> describe) {

        Failure apply(Throwable t) {
            return type.isInstance(t) ? describe.apply(type.cast(t)) : null;
        }
    }

    private final List<Rule<?>> custom = new ArrayList<>();
    private final List<Rule<?>> builtIn = List.of(
            new Rule<>(UserInputException.class, e -> Failure.usage(e.problems())),
            new Rule<>(CommandLine.ParameterException.class, e -> Failure.of(ExitCodes.USAGE, e.getMessage())),
            new Rule<>(KafkaUnavailableException.class, e -> Failure.of(ExitCodes.UNAVAILABLE, e.getMessage())),
            new Rule<>(SchemaRegistryUnavailableException.class, e -> Failure.of(ExitCodes.UNAVAILABLE,
                    "Couldn't connect to the schema registry: " + e.getMessage())),
            new Rule<>(TimeoutException.class, e -> Failure.of(ExitCodes.UNAVAILABLE,
                    "Timed out waiting for Kafka: " + e.getMessage())),
            new Rule<>(ConnectException.class, e -> Failure.of(ExitCodes.UNAVAILABLE,
                    "Couldn't connect: " + e.getMessage())),
            new Rule<>(UnknownHostException.class, e -> Failure.of(ExitCodes.UNAVAILABLE,
                    "Unknown host: " + e.getMessage())),
            new Rule<>(InterruptedException.class, e -> Failure.of(ExitCodes.INTERRUPTED, "Interrupted.")),
            new Rule<>(InterruptException.class, e -> Failure.of(ExitCodes.INTERRUPTED, "Interrupted.")));

    /**
     * Maps exceptions of {@code type} (anywhere in the cause chain) to a failure, before the built-in rules. E.g.
     * {@code map(ConfigException.class, e -> Failure.usage(e.problems()))}.
     */
    public <T extends Throwable> FailureHandler map(Class<T> type, Function<? super T, Failure> describe) {
        custom.add(new Rule<>(type, describe));
        return this;
    }

    /** The exit code and message for {@code failure}. */
    public Failure describe(Throwable failure) {
        List<Throwable> chain = Causes.chain(failure);
        for (Throwable t : chain) {
            for (List<Rule<?>> rules : List.of(custom, builtIn)) {
                for (Rule<?> rule : rules) {
                    Failure f = rule.apply(t);
                    if (f != null) {
                        return f;
                    }
                }
            }
        }
        Throwable explaining = chain.stream()
                .filter(t -> t.getClass().getName().startsWith("dev.taskwatch.") && t.getMessage() != null)
                .findFirst().orElse(chain.get(chain.size() - 1));
        String message = explaining.getMessage() == null || explaining.getMessage().isBlank()
                ? explaining.getClass().getName() : explaining.getMessage();
        return Failure.of(ExitCodes.RUNTIME_FAILURE, message);
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (ex instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Failure failure = describe(ex);
        PrintWriter err = commandLine.getErr();
        for (String line : failure.lines()) {
            err.println(commandLine.getColorScheme().errorText(line));
        }
        if (verbose(parseResult)) {
            ex.printStackTrace(err);
        } else if (failure.exitCode() == ExitCodes.RUNTIME_FAILURE) {
            err.println("(run again with --verbose for details)");
        }
        err.flush();
        return failure.exitCode();
    }

    /** True when --verbose was given (or defaulted from the environment) on any command of the invocation. */
    static boolean verbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            OptionSpec option = pr.commandSpec().findOption("--verbose");
            if (option != null && Objects.equals(option.getValue(), Boolean.TRUE)) {
                return true;
            }
        }
        return false;
    }
}
