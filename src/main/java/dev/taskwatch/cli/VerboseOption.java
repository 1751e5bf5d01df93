package dev.taskwatch.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code --verbose}: stack traces for failures and DEBUG logging (on stderr). Mix into every command. */
public final class VerboseOption {

    private boolean verbose;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of failures and log at DEBUG level.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
        if (verbose && LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.DEBUG);
        }
    }

    public boolean verbose() {
        return verbose;
    }
}
