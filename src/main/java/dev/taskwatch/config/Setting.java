package dev.taskwatch.config;

/**
 * One configuration key, declared once in {@link Settings}: its path, type, default, rule and documentation. The
 * binder reads it, the allow-list and the {@code TASKWATCH_<PATH>} overrides ({@link ConfigKeys}), the README table,
 * the example file's check and the connector's {@code ConfigDef} are all derived from these declarations.
 *
 * <p>Path patterns: {@code <name>} stands for a credential name, {@code []} for a list index, {@code *} for free keys.
 *
 * @param defaultValue the value when the key is absent or empty; null when there is none (or when what happens
 *                     without it is more than a value, said in {@code doc})
 * @param rule         the range rule of a present value, {@link Rule#NONE} when any value of the type is valid
 * @param doc          what the README says after the default: the meaning, the unit, what "not set" does
 */
public record Setting<T>(String path, SettingType<T> type, T defaultValue, Rule<T> rule, String doc) {

    /** The range rule of one value: null when the value is valid, else the problem (after {@code <path>: }). */
    @FunctionalInterface
    public interface Rule<T> {
        Rule<Object> NONE = value -> null;

        String problem(T value);
    }

    @SuppressWarnings("unchecked")
    public static <T> Setting<T> of(String path, SettingType<T> type, T defaultValue, String doc) {
        return new Setting<>(path, type, defaultValue, (Rule<T>) Rule.NONE, doc);
    }

    public static <T> Setting<T> of(String path, SettingType<T> type, T defaultValue, Rule<T> rule, String doc) {
        return new Setting<>(path, type, defaultValue, rule, doc);
    }

    /** The last segment of the path: the key inside its mapping. */
    public String key() {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** Whether the path names no user-chosen part (credential name, list index, free key): such keys have overrides. */
    public boolean fixed() {
        return !path.contains("[]") && !path.contains("<name>") && !path.endsWith(".*");
    }

    public boolean secret() {
        return type.secret();
    }

    /** {@code TASKWATCH_} + the path in upper case with {@code .} and {@code -} as {@code _}. */
    public String environmentVariable() {
        return ConfigKeys.environmentVariable(path);
    }

    /** The default as documentation shows it ({@code 30s}, {@code 10MB}), null when none is shown. */
    public String defaultText() {
        return type.format(defaultValue);
    }

    /** The README's "Default" cell: the default in backticks, then the documentation. */
    public String documentation() {
        String shown = defaultText();
        if (shown == null) {
            return doc;
        }
        return "`" + shown + "`" + (doc.isEmpty() ? "" : "; " + doc);
    }

    /** The path: what a problem, a test failure or a log line names. */
    @Override
    public String toString() {
        return path;
    }
}
