package dev.taskwatch.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs the taskwatch command line in-process with captured stdout/stderr and a given environment. */
record CliRunner(Map<String, String> environment) {

    record Result(int exitCode, String out, String err) {}

    static CliRunner withoutEnvironment() {
        return new CliRunner(Map.of());
    }

    Result run(String... args) {
        CommandLine cmd = TaskwatchCommand.commandLine(environment);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
