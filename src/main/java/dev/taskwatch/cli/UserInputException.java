package dev.taskwatch.cli;

import java.util.List;

/**
 * The user asked for something that cannot work: a bad option value, an invalid configuration. Exit code
 * {@link ExitCodes#USAGE}; each problem is printed as one line, without a stack trace unless {@code --verbose}.
 */
public class UserInputException extends RuntimeException {

    private final List<String> problems;

    public UserInputException(String problem) {
        this(List.of(problem), null);
    }

    /** @param problems one line each, naming the thing that is wrong (option, config key path) */
    public UserInputException(List<String> problems, Throwable cause) {
        super(String.join("; ", problems), cause);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("A UserInputException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
