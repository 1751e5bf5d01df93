package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.runtime.KafkaUnavailableException;
import dev.taskwatch.runtime.TopicAdminException;
import dev.taskwatch.serde.SchemaRegistryUnavailableException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class FailureHandlerTest {

    private final FailureHandler handler = new FailureHandler();

    @Test
    void shouldMapUnreachableKafkaToExitThreeWithTheAddress() {
        FailureHandler.Failure failure = handler.describe(new ExecutionException(
                new KafkaUnavailableException("broker-1:9092", new TimeoutException("Timed out waiting"))));

        assertThat(failure).isEqualTo(FailureHandler.Failure.of(3, "Couldn't connect to Kafka at broker-1:9092."));
    }

    @Test
    void shouldMapUnreachableRegistryAndRawConnectionFailuresToExitThree() {
        assertThat(handler.describe(new KafkaException("send failed", new SchemaRegistryUnavailableException(
                "GET http://registry:8081/subjects failed", new ConnectException("refused")))))
                .isEqualTo(FailureHandler.Failure.of(3,
                        "Couldn't connect to the schema registry: GET http://registry:8081/subjects failed"));
        assertThat(handler.describe(new RuntimeException(new ConnectException("Connection refused"))).exitCode())
                .isEqualTo(3);
        assertThat(handler.describe(new TimeoutException("Timeout expired while fetching topic metadata"))
                .exitCode()).isEqualTo(3);
    }

    @Test
    void shouldMapUserInputToExitTwoWithOneLinePerProblem() {
        FailureHandler.Failure failure = handler.describe(new UserInputException(
                List.of("targets[0].service: unknown service 'mysql'", "http.port: must be 0..65535"), null));

        assertThat(failure).isEqualTo(new FailureHandler.Failure(2, List.of(
                "targets[0].service: unknown service 'mysql'", "http.port: must be 0..65535")));
    }

    @Test
    void shouldMapInterruptionTo130() {
        assertThat(handler.describe(new CompletionException(new InterruptedException())).exitCode())
                .isEqualTo(130);
        assertThat(handler.describe(new org.apache.kafka.common.errors.InterruptException("poll")).exitCode())
                .isEqualTo(130);
    }

    @Test
    void shouldExplainOtherFailuresWithOurOwnMessageBeforeTheRootCause() {
        FailureHandler.Failure ours = handler.describe(new TopicAdminException(
                "No permission to create topic taskwatch.task-events on cluster abc; create it beforehand or grant "
                        + "CREATE", new TopicAuthorizationException("Not authorized")));
        FailureHandler.Failure theirs = handler.describe(new KafkaException("Failed to construct kafka consumer",
                new IllegalStateException("no usable address")));

        assertThat(ours).isEqualTo(FailureHandler.Failure.of(1, "No permission to create topic "
                + "taskwatch.task-events on cluster abc; create it beforehand or grant CREATE"));
        assertThat(theirs).isEqualTo(FailureHandler.Failure.of(1, "no usable address"));
    }

    @Test
    void shouldNameTheExceptionWhenItHasNoMessage() {
        assertThat(handler.describe(new RuntimeException(new NullPointerException())))
                .isEqualTo(FailureHandler.Failure.of(1, "java.lang.NullPointerException"));
    }

    static final class ValidationFailed extends RuntimeException {
        ValidationFailed() {
            super("2 problems");
        }
    }

    @Test
    void shouldPreferAddedMappingsOverTheBuiltInOnes() {
        handler.map(ValidationFailed.class, e -> FailureHandler.Failure.usage(List.of("a: bad", "b: worse")));

        assertThat(handler.describe(new RuntimeException(new ValidationFailed())))
                .isEqualTo(new FailureHandler.Failure(2, List.of("a: bad", "b: worse")));
    }

    @Command(name = "failing")
    static final class Failing implements Runnable {
        @Mixin
        VerboseOption verbose;

        @Override
        public void run() {
            throw new KafkaUnavailableException("localhost:9092", new TimeoutException("metadata"));
        }
    }

    @Test
    void shouldPrintOneLineWithoutVerboseAndTheStackTraceWithIt() {
        String quiet = execute();
        String verbose = execute("--verbose");

        assertThat(quiet.strip()).isEqualTo("Couldn't connect to Kafka at localhost:9092.");
        assertThat(verbose).startsWith("Couldn't connect to Kafka at localhost:9092.")
                .contains("KafkaUnavailableException").contains("\tat ");
    }

    private String execute(String... args) {
        CommandLine cmd = new CommandLine(new Failing());
        cmd.setExecutionExceptionHandler(new FailureHandler());
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute(args)).isEqualTo(ExitCodes.UNAVAILABLE);
        return err.toString();
    }
}
