package dev.taskwatch.notify;

import java.util.regex.Pattern;

/**
 * A shell-style name pattern of a notify rule: {@code *} matches any run of characters, {@code ?} one character,
 * everything else itself (case-sensitive, whole name). Task and instance names are free text, so no other character
 * is special: {@code Create[1]} matches exactly that name.
 */
public record Glob(String pattern, Pattern regex) {

    public static Glob of(String pattern) {
        StringBuilder regex = new StringBuilder(pattern.length() + 8);
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return new Glob(pattern, Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    public boolean matches(String name) {
        return name != null && regex.matcher(name).matches();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
