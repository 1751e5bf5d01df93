package dev.taskwatch.cli;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Environment variables as option defaults: option {@code --bootstrap-servers} defaults to {@code
 * TASKWATCH_BOOTSTRAP_SERVERS}, {@code --config} to {@code TASKWATCH_CONFIG}, and so on (prefix, longest name
 * upper-cased, dashes to underscores). An option given on the command line wins over the variable, the variable over
 * the annotation's default. Help/version flags and multi-value options (maps, lists) are not read from the
 * environment.
 */
public final class EnvironmentDefaultProvider implements CommandLine.IDefaultValueProvider {

    public static final String PREFIX = "TASKWATCH_";

    private final Map<String, String> environment;

    public EnvironmentDefaultProvider(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The environment the defaults come from (also used for the configuration's overrides). */
    public Map<String, String> environment() {
        return environment;
    }

    /** The variable that supplies the default of {@code option}. */
    public static String variableFor(OptionSpec option) {
        String longest = Arrays.stream(option.names()).max(Comparator.comparingInt(String::length)).orElseThrow();
        return PREFIX + longest.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()
                || option.isMultiValue()) {
            return null;
        }
        String value = environment.get(variableFor(option));
        return value == null || value.isBlank() ? null : value;
    }
}
